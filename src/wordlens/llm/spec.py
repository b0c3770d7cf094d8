"""Model specs (``openai:NAME``, ``openai-compatible:NAME``, ``transformers:PATH``) and the
user's LLM configuration (API key, base URL, prices) from environment variables or a file.

Keys come only from the environment or the config file, never from the command line, and are
never written to a cache, a log, a result or a report. A key is sent only to the server it
belongs to (:meth:`LLMConfig.key_for`): OpenAI's key only to api.openai.com.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..errors import InputError

BACKENDS = ("openai", "openai-compatible", "transformers")
OPENAI_URL = "https://api.openai.com/v1"
OPENAI_HOST = "api.openai.com"


@dataclass(frozen=True)
class ModelSpec:
    """Which backend and model; ``base_url`` only for OpenAI-compatible servers."""

    backend: str
    model: str
    base_url: str | None = None

    @property
    def label(self) -> str:
        return f"{self.backend}:{self.model}"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"backend": self.backend, "model": self.model}
        if self.base_url:
            d["base_url"] = self.base_url
        return d


def parse_model_spec(spec: str, base_url: str | None = None, *,
                     config: LLMConfig | None = None) -> ModelSpec:
    """Parse ``openai:gpt-4o-mini``, ``openai-compatible:NAME[@URL]``, ``transformers:PATH``.

    For ``openai-compatible`` the server URL comes from ``base_url``, an ``@http...`` suffix,
    ``$WORDLENS_BASE_URL`` / ``$OPENAI_BASE_URL``, or the config file, in that order.
    """
    prefix, sep, rest = (spec or "").partition(":")
    prefix, rest = prefix.strip().lower(), rest.strip()
    if not sep or prefix not in BACKENDS or not rest:
        raise InputError(f"model {spec!r}: expected openai:NAME, openai-compatible:NAME "
                         "(with --base-url) or transformers:PATH")
    config = config if config is not None else load_config()
    if prefix == "transformers":
        path = Path(rest).expanduser()
        if not path.exists():
            raise InputError(f"model {spec!r}: {path}: no such file or folder")
        return ModelSpec("transformers", str(path.resolve()))
    if "@http" in rest:
        rest, _, url = rest.partition("@")
        base_url = base_url or url
    url = (base_url or os.environ.get("WORDLENS_BASE_URL") or
           (os.environ.get("OPENAI_BASE_URL") if prefix == "openai-compatible" else None) or
           config.base_url)
    if prefix == "openai-compatible" and not url:
        raise InputError(f"model {spec!r}: an OpenAI-compatible server needs --base-url "
                         "(e.g. http://localhost:8000/v1) or $WORDLENS_BASE_URL")
    if url and not url.startswith(("http://", "https://")):
        raise InputError(f"--base-url {url!r}: expected an http:// or https:// URL")
    return ModelSpec(prefix, rest, url.rstrip("/") if url else None)


@dataclass
class LLMConfig:
    """Settings from ``$WORDLENS_CONFIG`` or ``~/.config/wordlens/config.toml``::

        [llm]
        api_key = "sk-..."          # optional; env vars take precedence
        base_url = "http://localhost:8000/v1"
        [llm.prices."gpt-4o-mini"]  # USD per million tokens
        input = 0.15
        output = 0.60
    """

    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    prices: dict[str, dict[str, float]] = field(default_factory=dict)
    source: str | None = None

    def key(self) -> str | None:
        """The key for OpenAI itself (api.openai.com); see :meth:`key_for` for other servers."""
        return self.key_for(ModelSpec("openai", "-"))

    def key_for(self, spec: ModelSpec, api_key_env: str | None = None) -> str | None:
        """The API key to send to ``spec``'s server, or None (no Authorization header).

        - ``api_key_env`` (``--api-key-env NAME``): the key in ``$NAME``, for this run's server;
        - ``$WORDLENS_API_KEY``: wordlens' own key, sent to whichever server the run uses;
        - ``$OPENAI_API_KEY``: only to api.openai.com;
        - the config file's ``api_key``: to its ``base_url`` when one is set there, otherwise
          only to api.openai.com.
        """
        if api_key_env:
            value = os.environ.get(api_key_env)
            if not value:
                raise InputError(f"--api-key-env {api_key_env}: ${api_key_env} is not set")
            return value
        if os.environ.get("WORDLENS_API_KEY"):
            return os.environ["WORDLENS_API_KEY"]
        url = spec.base_url or (OPENAI_URL if spec.backend == "openai" else None)
        if url is None:
            return None
        if self.api_key and self.base_url and _same_server(url, self.base_url):
            return self.api_key
        if urlparse(url).hostname == OPENAI_HOST:
            return os.environ.get("OPENAI_API_KEY") or (None if self.base_url
                                                        else self.api_key)
        return None


def _same_server(a: str, b: str) -> bool:
    pa, pb = urlparse(a.rstrip("/")), urlparse(b.rstrip("/"))
    return (pa.scheme, pa.hostname, pa.port, pa.path) == (pb.scheme, pb.hostname, pb.port,
                                                          pb.path)


def config_path() -> Path:
    env = os.environ.get("WORDLENS_CONFIG")
    return Path(env) if env else Path.home() / ".config" / "wordlens" / "config.toml"


def load_config(path: str | Path | None = None) -> LLMConfig:
    """Read the config file if it exists (a missing file is an empty config)."""
    p = Path(path) if path else config_path()
    if not p.exists():
        return LLMConfig()
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            raise InputError(f"{p}: reading the config file needs Python 3.11+ or "
                             "`pip install tomli`") from None
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: not valid TOML ({exc})") from None
    llm = data.get("llm", {})
    if not isinstance(llm, dict):
        raise InputError(f"{p}: [llm] must be a table")
    prices = {}
    for name, pr in (llm.get("prices") or {}).items():
        try:
            prices[name] = {"input": float(pr["input"]), "output": float(pr["output"])}
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{p}: llm.prices.{name} needs numeric 'input' and 'output' "
                             "(USD per million tokens)") from None
    return LLMConfig(api_key=llm.get("api_key"), base_url=llm.get("base_url"), prices=prices,
                     source=str(p))
