"""Transport over the official `openai` client: OpenAI or any OpenAI-compatible server
(vLLM, Ollama, llama.cpp server, LM Studio, ...)."""

from __future__ import annotations

from typing import Any

from ..errors import BackendError
from .client import ChatReply, GarbageReply
from .spec import ModelSpec


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

    def _get(self):
        if self._client is None:
            try:
                import openai
            except ImportError:
                raise BackendError("the openai package is not installed: "
                                   "pip install 'wordlens[llm]'") from None
            key = self._api_key
            if self.spec.backend == "openai" and not key:
                raise BackendError("openai: no API key; set $OPENAI_API_KEY or "
                                   "$WORDLENS_API_KEY (or api_key in the config file)")
            self._client = openai.OpenAI(api_key=key or "not-needed",
                                         base_url=self.spec.base_url, timeout=self.timeout,
                                         max_retries=0)
        return self._client

    def complete(self, request: dict[str, Any]) -> ChatReply:
        import openai

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
        import openai

        if isinstance(exc, (GarbageReply, openai.APITimeoutError, openai.APIConnectionError,
                            openai.RateLimitError, openai.InternalServerError,
                            openai.APIResponseValidationError, ValueError)):
            return True
        status = getattr(exc, "status_code", None)
        return isinstance(status, int) and (status >= 500 or status in (408, 409, 429))


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
