"""A real OpenAI-compatible HTTP server for tests: scripted, deterministic answers that depend
on the prompt, and a fault mode (timeouts, 429, 500, garbage) for a share of the calls.

In-process: ``with ScriptedLLMServer(fault_rate=0.3) as srv: srv.url``; without HTTP:
``ScriptedLLMServer().transport()`` (a `wordlens.testing.MockTransport`). As a process:
``python tests/llm_server.py --port 8765 --fault-rate 0.3`` (prints the URL). The server is
bounded: it stops itself after ``max_requests`` requests or ``max_idle_s`` without one.

Scripted behaviour (a stand-in for a model, not a model):
- proposer prompts ("Group A texts:" ... "Group B texts:"): the concepts below whose keywords
  occur in more Group A texts than Group B texts, most different first, in one of several
  answer formats chosen by the prompt's hash (JSON, numbered, bullets, JSON object, with junk);
- judge prompts ("Property: ..."): yes when the text contains a keyword of the property's
  concept (or, for an unknown property, one of its content words); one text -> yes/no with
  token log-probabilities when asked, several texts -> "<id>: yes" lines;
- a property "it is not true that the text X": the opposite answer to X;
- several-properties prompts ("Properties:" then "[<id>] property" lines, one text): a JSON
  object of yes/no per property id;
- goal-relevance prompts ("You rate how relevant ..."): a JSON object, 2 for a finding that
  shares a content word with the goal, 0 otherwise.

Replay: ``replies={"propose": [...], "judge_many": [...], "judge_multi": [...],
"judge_one": [...]}`` answers prompts of that kind with recorded replies in turn (no
log-probabilities), e.g. the real model replies in tests/data/llm_replies/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from wordlens.llm.client import ChatReply
from wordlens.testing import MockTransport

CONCEPTS = {
    "expresses a positive opinion": ["great", "love", "excellent", "best", "wonderful",
                                     "amazing", "perfect", "enjoy", "recommend", "good"],
    "complains about a problem": ["bad", "worst", "terrible", "poor", "waste", "disappoint",
                                  "broke", "awful", "return", "problem"],
    "is about sports": ["match", "team", "player", "cup", "coach", "season", "championship",
                        "win", "game"],
    "is about technology": ["software", "computer", "internet", "phone", "digital",
                            "technology", "online", "users", "mobile"],
    "mentions money or prices": ["$", "price", "money", "cost", "paid", "cheap", "expensive",
                                 "dollar"],
    "asks a question": ["?"],
    "is about films or actors": ["film", "movie", "actor", "director", "scene", "cinema"],
}
#: wordlens' judge-control placebos, answered as a model that reads them would
PLACEBOS = {"is made of words": [" "], "is a blank page with no words at all": []}
FAULTS = ("timeout", "429", "500", "garbage")
NEGATION = "it is not true that the text "
_TEXT = re.compile(r'<text id="([^"]+)">\n(.*?)\n</text>', re.S)
_PROP = re.compile(r"^\[(\w+)\] (.*)$", re.M)


def request_sha(body: dict) -> str:
    """The same hash wordlens stores with each cached reply (`request_sha`)."""
    req = {"messages": [{"role": m["role"], "content": m["content"]} for m in body["messages"]],
           "max_tokens": int(body.get("max_tokens") or body.get("max_completion_tokens")),
           "temperature": float(body.get("temperature", 1.0))}
    if body.get("logprobs"):
        req["logprobs"] = True
        req["top_logprobs"] = int(body.get("top_logprobs") or 10)
    blob = json.dumps(req, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _hits(concept: str, text: str) -> int:
    words = CONCEPTS.get(concept, PLACEBOS.get(concept))
    if words is None:
        words = [w for w in re.findall(r"[a-z]+", concept.lower()) if len(w) > 4]
    low = text.lower()
    return sum(low.count(w) for w in words)


def answer_proposer(prompt: str) -> str:
    part_a, _, part_b = prompt.partition("Group B texts:")
    ga = [t for _, t in _TEXT.findall(part_a)]
    gb = [t for _, t in _TEXT.findall(part_b)]
    if "Each pair below holds two texts" in prompt:  # paired contrast prompt: ids 1A, 1B, ...
        ga = [t for i, t in _TEXT.findall(prompt) if i.endswith("A")]
        gb = [t for i, t in _TEXT.findall(prompt) if i.endswith("B")]
    diffs = {c: sum(_hits(c, t) > 0 for t in ga) / max(1, len(ga)) -
             sum(_hits(c, t) > 0 for t in gb) / max(1, len(gb)) for c in CONCEPTS}
    found = [c for c, d in sorted(diffs.items(), key=lambda kv: (-kv[1], kv[0])) if d > 0]
    style = int(hashlib.sha256(prompt.encode()).hexdigest(), 16) % 4
    if style == 0:
        return json.dumps(found)
    if style == 1:
        return "Here are some hypotheses:\n" + "\n".join(
            f"{i + 1}. {h[0].upper() + h[1:]}." for i, h in enumerate(found))
    if style == 2:
        return "```json\n" + json.dumps({"hypotheses": found + [""]}) + "\n```"
    return "\n".join(f"- **{h}**" for h in found) + "\n- " + "very long " * 40


def prompt_kind(prompt: str) -> str:
    """propose, relevance, judge_multi, judge_many or judge_one."""
    if "Group A texts:" in prompt or "Each pair below holds two texts" in prompt:
        return "propose"
    if prompt.startswith("You rate how relevant"):
        return "relevance"
    if "\nProperties:\n" in prompt:
        return "judge_multi"
    return "judge_many" if len(_TEXT.findall(prompt)) > 1 else "judge_one"


def answer_relevance(prompt: str) -> str:
    """2 for a finding that shares a content word (4+ letters) with the goal, else 0."""
    goal = re.search(r"^Research goal: (.*)$", prompt, re.M)
    words = set(re.findall(r"[a-z]{4,}", goal.group(1).lower())) if goal else set()
    return json.dumps({i: 2 if words & set(re.findall(r"[a-z]{4,}", h.lower())) else 0
                       for i, h in _PROP.findall(prompt)})


def answer_judge(prompt: str) -> tuple[str, float | None]:
    if prompt_kind(prompt) == "relevance":
        return answer_relevance(prompt), None
    if prompt_kind(prompt) == "judge_multi":
        text = _TEXT.findall(prompt)[0][1]
        return json.dumps({i: "yes" if _hits(p.strip(), text) else "no"
                           for i, p in _PROP.findall(prompt)}), None  # (no negation here)
    m = re.search(r"^Property: (.*)$", prompt, re.M)
    prop = m.group(1).strip() if m else ""
    texts = _TEXT.findall(prompt)
    if prop.startswith(NEGATION):  # reads a negated statement as the opposite answer
        text, p = answer_judge(prompt.replace(f"Property: {prop}",
                                              f"Property: {prop[len(NEGATION):]}"))
        if p is not None:
            return ("no" if p > 0.5 else "yes"), 1 - p
        return re.sub(r"\b(yes|no)\b", lambda x: "no" if x.group(1) == "yes" else "yes",
                      text), None
    if len(texts) == 1:
        h = _hits(prop, texts[0][1])
        p = 0.95 if h >= 2 else 0.8 if h == 1 else 0.1
        return ("yes" if p > 0.5 else "no"), p
    return "\n".join(f"{i}: {'yes' if _hits(prop, t) else 'no'}" for i, t in texts), None


class ScriptedLLMServer:
    """Start with ``start()`` or a ``with`` block; ``log`` lists every request handled."""

    def __init__(self, *, fault_rate: float = 0.0, fault_seed: int = 0, delay_s: float = 0.0,
                 timeout_sleep_s: float = 1.0, logprobs: bool = True, port: int = 0,
                 max_requests: int = 20000, max_idle_s: float = 120.0,
                 replies: dict[str, list[str]] | None = None):
        self.fault_rate = fault_rate
        self.fault_seed = fault_seed
        self.delay_s = delay_s
        self.timeout_sleep_s = timeout_sleep_s
        self.logprobs = logprobs
        self.port = port
        self.max_requests = max_requests
        self.max_idle_s = max_idle_s
        self.replies = replies or {}
        self._replayed: dict[str, int] = {}
        self.log: list[dict] = []
        self._lock = threading.Lock()
        self._last = time.monotonic()
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def transport(self, name: str = "scripted") -> MockTransport:
        """The same scripted answers without HTTP: a :class:`wordlens.testing.MockTransport`
        that runs this server's answering (log, replays, log-probabilities; subclasses'
        ``_complete`` too) on each request. No faults are injected: those are HTTP-level."""

        def handler(request: dict) -> ChatReply:
            body = {"model": name, **request}
            with self._lock:
                entry = {"n": len(self.log), "sha": request_sha(body), "status": None,
                         "kind": None, "authorization": None}
                self.log.append(entry)
            out = self._complete(body, entry)
            entry["status"] = "ok"
            return _chat_reply(out)

        return MockTransport(handler, name=name)

    def successes(self) -> list[str]:
        return [e["sha"] for e in self.log if e["status"] == "ok"]

    def start(self) -> ScriptedLLMServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                self._send(200, {"object": "list", "data": [{"id": "scripted",
                                                             "object": "model"}]})

            def do_POST(self):
                n = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(n)
                server._handle(self, raw)

            def _send(self, code: int, obj, raw: bytes | None = None):
                body = raw if raw is not None else json.dumps(obj).encode()
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request, client_address):  # a client went away
                pass

        self._httpd = Quiet(("127.0.0.1", self.port), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        threading.Thread(target=self._watchdog, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> ScriptedLLMServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _watchdog(self) -> None:
        while self._httpd is not None:
            time.sleep(0.5)
            if (time.monotonic() - self._last > self.max_idle_s
                    or len(self.log) >= self.max_requests):
                self._httpd.shutdown()
                return

    def _fault(self, n: int) -> str | None:
        x = int(hashlib.sha256(f"{self.fault_seed}:{n}".encode()).hexdigest()[:12], 16)
        if (x % 10_000) / 10_000 < self.fault_rate:
            return FAULTS[(x // 10_000) % len(FAULTS)]
        return None

    def _handle(self, h, raw: bytes) -> None:
        with self._lock:
            n = len(self.log)
            self._last = time.monotonic()
            entry = {"n": n, "sha": None, "status": None, "kind": None,
                     "authorization": h.headers.get("Authorization")}
            self.log.append(entry)
        try:
            body = json.loads(raw)
            entry["sha"] = request_sha(body)
        except (ValueError, KeyError, TypeError):
            entry["status"] = "bad-request"
            return h._send(400, {"error": {"message": "bad request"}})
        fault = self._fault(n)
        if self.delay_s:
            time.sleep(self.delay_s)
        if fault == "timeout":
            entry["status"] = "timeout"
            time.sleep(self.timeout_sleep_s)
            return h._send(504, {"error": {"message": "too slow"}})
        if fault in ("429", "500"):
            entry["status"] = fault
            return h._send(int(fault), {"error": {"message": f"injected {fault}"}})
        if fault == "garbage":
            entry["status"] = "garbage"
            return h._send(200, None, raw=b"{\"choices\": [{\"mess" if n % 2 else
                           json.dumps({"id": "x", "object": "chat.completion",
                                       "choices": []}).encode())
        h._send(200, self._complete(body, entry))
        entry["status"] = "ok"

    def _complete(self, body: dict, entry: dict) -> dict:
        prompt = "\n".join(m["content"] for m in body["messages"])
        logprobs = None
        entry["kind"] = kind = prompt_kind(prompt)
        if self.replies.get(kind):
            with self._lock:
                n = self._replayed.get(kind, 0)
                self._replayed[kind] = n + 1
            text = self.replies[kind][n % len(self.replies[kind])]
            entry["replayed"] = True
        elif kind == "propose":
            text = answer_proposer(prompt)
        else:
            text, p = answer_judge(prompt)
            if p is not None and body.get("logprobs") and self.logprobs:
                top = [{"token": "yes", "logprob": math.log(p), "bytes": None},
                       {"token": "no", "logprob": math.log(1 - p), "bytes": None}]
                top.sort(key=lambda t: -t["logprob"])
                logprobs = {"content": [{"token": top[0]["token"],
                                         "logprob": top[0]["logprob"], "bytes": None,
                                         "top_logprobs": top}]}
        return {"id": f"chatcmpl-{entry['n']}", "object": "chat.completion", "created": 0,
                "model": body.get("model", "scripted"),
                "choices": [{"index": 0, "finish_reason": "stop", "logprobs": logprobs,
                             "message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": len(prompt) // 4 + 1,
                          "completion_tokens": len(text) // 4 + 1,
                          "total_tokens": len(prompt) // 4 + len(text) // 4 + 2}}


def _chat_reply(out: dict) -> ChatReply:
    """A chat.completion JSON object as the client's reply (what the openai transport reads)."""
    choice = out["choices"][0]
    top = None
    if choice.get("logprobs"):
        top = [{t["token"]: t["logprob"] for t in pos["top_logprobs"]}
               for pos in choice["logprobs"]["content"]]
    return ChatReply(choice["message"]["content"], top, out["usage"]["prompt_tokens"],
                     out["usage"]["completion_tokens"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--fault-rate", type=float, default=0.0)
    ap.add_argument("--delay-s", type=float, default=0.0)
    ap.add_argument("--max-idle-s", type=float, default=120.0)
    ap.add_argument("--log", help="write the request log here (JSON) when stopping")
    args = ap.parse_args()
    srv = ScriptedLLMServer(fault_rate=args.fault_rate, delay_s=args.delay_s, port=args.port,
                            max_idle_s=args.max_idle_s).start()
    print(srv.url, flush=True)
    try:
        while srv._httpd is not None and srv._httpd.socket.fileno() != -1:
            time.sleep(0.5)
            if time.monotonic() - srv._last > srv.max_idle_s:
                break
    except KeyboardInterrupt:
        pass
    srv.stop()
    if args.log:
        with open(args.log, "w") as fh:
            json.dump(srv.log, fh)


if __name__ == "__main__":
    main()
