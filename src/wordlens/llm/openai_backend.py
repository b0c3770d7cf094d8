"""Transport over the official `openai` client: OpenAI or any OpenAI-compatible server
(vLLM, Ollama, llama.cpp server, LM Studio, ...)."""

from __future__ import annotations

from typing import Any

from ..errors import BackendError, missing_extra
from .client import ChatReply, GarbageReply
from .spec import OPENAI_URL, ModelSpec


class OpenAITransport:
    """One raw chat-completions call; retries, caching and budget live in ChatClient."""

    default_concurrency = 8

    def __init__(self, spec: ModelSpec, api_key: str | None, *, timeout: float = 60.0):
        self.spec = spec
        self.timeout = timeout
        self.cache_name = spec.label
        self.supports_logprobs = True
        self._api_key = api_key
        self._client = None
        #: where requests go, for error messages (never a key)
        self.where = spec.base_url or OPENAI_URL  # never $OPENAI_BASE_URL behind our back
        if spec.backend == "openai" and not api_key:  # before any work is done
            hint = "" if self.where == OPENAI_URL else (
                f" for {self.where} ($OPENAI_API_KEY is only sent to api.openai.com; set "
                "$WORDLENS_API_KEY or pass --api-key-env NAME)")
            raise BackendError(f"openai: no API key{hint}; set $OPENAI_API_KEY or "
                               "$WORDLENS_API_KEY (or api_key in the config file)")

    def _get(self):
        if self._client is None:
            openai = _openai()
            key, url = self._api_key, self.where
            extra: dict[str, Any] = {}
            if not key:  # a local server: send no Authorization header at all
                extra["http_client"] = openai.DefaultHttpxClient(
                    event_hooks={"request": [_drop_authorization]})
            self._client = openai.OpenAI(api_key=key or "no-key", base_url=url,
                                         timeout=self.timeout, max_retries=0, **extra)
        return self._client

    def complete(self, request: dict[str, Any]) -> ChatReply:
        openai = _openai()

        client = self._get()
        kwargs: dict[str, Any] = {"model": self.spec.model, "messages": request["messages"],
                                  "temperature": request["temperature"]}
        if self.spec.backend == "openai":
            kwargs["max_completion_tokens"] = request["max_tokens"]
        else:
            kwargs["max_tokens"] = request["max_tokens"]
        want_lp = bool(request.get("logprobs")) and self.supports_logprobs
        if want_lp:
            kwargs["logprobs"] = True
            kwargs["top_logprobs"] = request["top_logprobs"]
        try:
            resp = client.chat.completions.create(**kwargs)
        except openai.BadRequestError as exc:
            if want_lp and "logprob" in str(exc).lower():
                self.supports_logprobs = False  # this server has none: parse answers instead
                return self.complete(request)
            raise
        return _reply(resp, want_lp)

    def is_transient(self, exc: BaseException) -> bool:
        openai = _openai()

        if _refused(exc):  # nothing listens there: retrying cannot help, fail at once
            return False
        if isinstance(exc, (GarbageReply, openai.APITimeoutError, openai.APIConnectionError,
                            openai.RateLimitError, openai.InternalServerError,
                            openai.APIResponseValidationError, ValueError)):
            return True
        status = getattr(exc, "status_code", None)
        return isinstance(status, int) and (status >= 500 or status in (408, 409, 429))


def _openai() -> Any:
    try:
        import openai
    except ImportError:
        raise missing_extra("openai", "an OpenAI or OpenAI-compatible model") from None
    return openai


def _refused(exc: BaseException) -> bool:
    seen = 0
    x: BaseException | None = exc
    while x is not None and seen < 8:
        if isinstance(x, ConnectionRefusedError) or "connection refused" in str(x).lower():
            return True
        x, seen = x.__cause__ or x.__context__, seen + 1
    return False


def _drop_authorization(request: Any) -> None:
    request.headers.pop("Authorization", None)


def _reply(resp: Any, want_lp: bool) -> ChatReply:
    choices = getattr(resp, "choices", None)
    if not choices or not hasattr(choices[0], "message"):
        raise GarbageReply(f"no choices in the reply ({str(resp)[:80]!r})")
    content = choices[0].message.content
    if not isinstance(content, str):
        raise GarbageReply("the reply has no text content")
    top = None
    lp = getattr(choices[0], "logprobs", None) if want_lp else None
    if lp is not None and getattr(lp, "content", None):
        top = []
        for pos in lp.content[:4]:
            cand = {t.token: float(t.logprob) for t in (pos.top_logprobs or [])}
            cand.setdefault(pos.token, float(pos.logprob))
            top.append(cand)
    usage = getattr(resp, "usage", None)
    tin = int(getattr(usage, "prompt_tokens", 0) or 0)
    tout = int(getattr(usage, "completion_tokens", 0) or 0)
    return ChatReply(content, top, tin, tout)
