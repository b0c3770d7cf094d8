import json
import threading
import time

import pytest

from wordlens.cache import Cache
from wordlens.errors import BackendError, BudgetExceeded, InputError
from wordlens.llm.client import make_request
from wordlens.llm.factory import build_client
from wordlens.llm.spec import load_config, parse_model_spec
from wordlens.llm.usage import Budget

from .llm_server import ScriptedLLMServer

FAST = {"timeout": 0.25, "backoff_initial": 0.01, "max_attempts": 10}


def judge_req(i: int, logprobs: bool = True):
    msg = f'Property: is about sports\n\n<text id="1">\nthe team won match {i}\n</text>\n'
    return make_request([{"role": "user", "content": msg}], max_tokens=2, logprobs=logprobs,
                        top_logprobs=5)


def test_model_specs_and_base_url_sources(monkeypatch, tmp_path):
    monkeypatch.delenv("WORDLENS_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("WORDLENS_CONFIG", str(tmp_path / "none.toml"))
    assert parse_model_spec("openai:gpt-4o-mini").base_url is None
    s = parse_model_spec("openai-compatible:qwen", "http://h:8000/v1/")
    assert (s.backend, s.model, s.base_url) == ("openai-compatible", "qwen", "http://h:8000/v1")
    s = parse_model_spec("openai-compatible:llama3@http://localhost:11434/v1")
    assert (s.model, s.base_url) == ("llama3", "http://localhost:11434/v1")
    with pytest.raises(InputError, match="needs --base-url"):
        parse_model_spec("openai-compatible:qwen")
    with pytest.raises(InputError, match="expected openai:NAME"):
        parse_model_spec("gpt4")
    with pytest.raises(InputError, match="no such file"):
        parse_model_spec("transformers:/nope/model")
    monkeypatch.setenv("WORDLENS_BASE_URL", "http://env:1/v1")
    assert parse_model_spec("openai-compatible:x").base_url == "http://env:1/v1"


def test_key_from_config_file_never_reaches_cache_or_description(monkeypatch, tmp_path):
    secret = "sk-test-SECRET-0123456789"
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[llm]\napi_key = "{secret}"\n[llm.prices.scripted]\n'
                   'input = 1.0\noutput = 2.0\n')
    monkeypatch.setenv("WORDLENS_CONFIG", str(cfg))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("WORDLENS_API_KEY", raising=False)
    assert load_config().key() == secret
    with ScriptedLLMServer() as srv:
        client = build_client("openai-compatible:scripted", base_url=srv.url,
                              cache=Cache(tmp_path / "c"), **FAST)
        client.chat(judge_req(0))
        assert client.usage.cost_usd > 0  # price from the config file
        assert secret not in json.dumps(client.describe())
        assert secret not in repr(client.transport.__dict__.get("spec"))
        client.cache.close()
    blob = b"".join(p.read_bytes() for p in (tmp_path / "c").rglob("*") if p.is_file())
    assert secret.encode() not in blob


def test_faults_are_retried_until_identical_answers(tmp_path):
    with ScriptedLLMServer() as clean, ScriptedLLMServer(fault_rate=0.3,
                                                           timeout_sleep_s=0.5) as bad:
        c1 = build_client("openai-compatible:s", base_url=clean.url, cache=False, **FAST)
        c2 = build_client("openai-compatible:s", base_url=bad.url, cache=False, **FAST)
        reqs = [judge_req(i) for i in range(40)]
        r1, r2 = c1.chat_many(reqs), c2.chat_many(reqs)
    assert [r.to_dict() for r in r1] == [r.to_dict() for r in r2]
    faults = [e["status"] for e in bad.log if e["status"] != "ok"]
    assert set(faults) == {"timeout", "429", "500", "garbage"}
    # every fault costs a retry; on a loaded machine a slow answer or connection can cost
    # another (the client's timeout is 0.25 s), so this is a lower bound
    assert c2.usage.retries >= len(faults) and c2.usage.calls == 40


def test_cache_answers_repeat_requests_without_calling(tmp_path):
    srv = ScriptedLLMServer()
    kw = dict(cache=Cache(tmp_path / "c"), **FAST)
    c = build_client("scripted", transport=srv.transport(), **kw)
    first = c.chat_many([judge_req(i) for i in range(10)])
    again = build_client("scripted", transport=srv.transport(), **kw).chat_many(
        [judge_req(i) for i in range(10)])
    assert len(srv.log) == 10
    assert [r.to_dict() for r in first] == [r.to_dict() for r in again]
    other = build_client("other", transport=srv.transport("other-model"), **kw)
    other.chat(judge_req(0))  # another model is another cache entry
    assert len(srv.log) == 11


def test_call_budget_stops_cleanly_and_keeps_finished_calls(tmp_path):
    srv = ScriptedLLMServer()
    budget = Budget(max_calls=5)
    c = build_client("scripted", transport=srv.transport(), cache=Cache(tmp_path / "c"),
                     budget=budget, **FAST)
    with pytest.raises(BudgetExceeded, match="--max-calls 5"):
        c.chat_many([judge_req(i) for i in range(12)])
    assert len(srv.successes()) == 5 and budget.calls == 5
    # finished calls were cached (which five depends on thread timing) and are free
    finished = [judge_req(i) for i in range(12) if c.cache.get(c.key(judge_req(i)))]
    assert len(finished) == 5
    assert all(c.chat(r).text in ("yes", "no") for r in finished)
    assert budget.calls == 5 and len(srv.log) == 5


def test_cost_budget_needs_a_price(tmp_path, monkeypatch):
    monkeypatch.setenv("WORDLENS_CONFIG", str(tmp_path / "none.toml"))
    with pytest.raises(InputError, match="no price"):
        build_client("openai-compatible:s", base_url="http://127.0.0.1:9/v1",
                     budget=Budget(max_cost=1.0))


def test_concurrency_is_bounded(tmp_path):
    active, peak, lock = [0], [0], threading.Lock()

    class Counting(ScriptedLLMServer):
        def _complete(self, body, entry):
            import time

            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            time.sleep(0.02)
            with lock:
                active[0] -= 1
            return super()._complete(body, entry)

    c = build_client("scripted", transport=Counting().transport(), cache=False,
                     concurrency=3, **FAST)
    c.chat_many([judge_req(i) for i in range(24)])
    assert 2 <= peak[0] <= 3


def test_server_down_is_a_backend_error_at_once_naming_the_url():
    c = build_client("openai-compatible:s", base_url="http://127.0.0.1:9/v1", cache=False,
                     timeout=0.2, backoff_initial=0.5, max_attempts=8)
    t0 = time.perf_counter()
    with pytest.raises(BackendError, match=r"at http://127.0.0.1:9/v1: request failed.*"
                                           r"[Cc]onnection refused"):
        c.chat(judge_req(0))
    assert c.usage.retries == 0  # nothing listens: retrying cannot help
    assert time.perf_counter() - t0 < 5
