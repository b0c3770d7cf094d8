"""API keys go only to the server they belong to: OpenAI's key only to api.openai.com; a local
or third-party server gets a key only when one is configured for it."""

from __future__ import annotations

import pytest

from wordlens.cli.main import main
from wordlens.errors import InputError
from wordlens.llm.factory import build_client
from wordlens.llm.spec import LLMConfig, ModelSpec

from .llm_server import ScriptedLLMServer
from .test_llm_client import judge_req

FAST = {"timeout": 2.0, "backoff_initial": 0.01, "max_attempts": 3, "cache": False}
OPENAI_SECRET = "sk-openai-SECRET-0123456789"
WORDLENS_SECRET = "sk-wordlens-SECRET-987"


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("WORDLENS_API_KEY", "OPENAI_API_KEY", "WORDLENS_BASE_URL", "OPENAI_BASE_URL",
                 "MY_SERVER_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WORDLENS_CONFIG", str(tmp_path / "none.toml"))
    return monkeypatch


def _auth_headers(srv: ScriptedLLMServer) -> set:
    return {e.get("authorization") for e in srv.log}


def _call(url: str, **kw) -> None:
    client = build_client("openai-compatible:scripted", base_url=url, **FAST, **kw)
    client.chat(judge_req(0))


def test_openai_key_is_never_sent_to_another_server(env):
    env.setenv("OPENAI_API_KEY", OPENAI_SECRET)
    with ScriptedLLMServer() as srv:
        _call(srv.url)
    assert srv.log and _auth_headers(srv) == {None}


def test_wordlens_key_and_api_key_env_are_sent_to_the_configured_server(env):
    env.setenv("OPENAI_API_KEY", OPENAI_SECRET)
    env.setenv("MY_SERVER_KEY", "server-key-1")
    with ScriptedLLMServer() as srv:
        _call(srv.url, api_key_env="MY_SERVER_KEY")
        env.setenv("WORDLENS_API_KEY", WORDLENS_SECRET)
        _call(srv.url)
    assert [e["authorization"] for e in srv.log] == ["Bearer server-key-1",
                                                     f"Bearer {WORDLENS_SECRET}"]


def test_config_file_key_goes_only_to_its_own_base_url(env, tmp_path):
    with ScriptedLLMServer() as srv, ScriptedLLMServer() as other:
        cfg = tmp_path / "config.toml"
        cfg.write_text(f'[llm]\napi_key = "cfg-key"\nbase_url = "{srv.url}"\n')
        env.setenv("WORDLENS_CONFIG", str(cfg))
        _call(srv.url)
        _call(other.url)
    assert _auth_headers(srv) == {"Bearer cfg-key"}
    assert _auth_headers(other) == {None}


def test_key_rules(env):
    env.setenv("OPENAI_API_KEY", OPENAI_SECRET)
    cfg = LLMConfig(api_key="cfg-key")
    assert cfg.key_for(ModelSpec("openai", "gpt-4o-mini")) == OPENAI_SECRET
    assert cfg.key_for(ModelSpec("openai", "m", "https://api.openai.com/v1")) == OPENAI_SECRET
    assert cfg.key_for(ModelSpec("openai", "m", "http://evil.example/v1")) is None
    assert cfg.key_for(ModelSpec("openai-compatible", "m", "http://localhost:8000/v1")) is None
    env.delenv("OPENAI_API_KEY")
    assert cfg.key_for(ModelSpec("openai", "gpt-4o-mini")) == "cfg-key"  # no base_url: OpenAI's
    with pytest.raises(InputError, match=r"--api-key-env NOPE: \$NOPE is not set"):
        cfg.key_for(ModelSpec("openai-compatible", "m", "http://h/v1"), "NOPE")


def test_cli_run_sends_no_key_to_a_local_server(env, tmp_path, capsys):
    env.setenv("OPENAI_API_KEY", OPENAI_SECRET)
    a, b, h = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "h.txt"
    a.write_text("".join(f"the team won the match {i}\n" for i in range(12)))
    b.write_text("".join(f"new phone software {i}\n" for i in range(12)))
    h.write_text("is about sports\n")
    with ScriptedLLMServer() as srv:
        code = main(["diff", str(a), str(b), "--hypotheses", str(h), "--judge-model",
                     "openai-compatible:scripted", "--base-url", srv.url, "--no-cache"])
    assert code == 0, capsys.readouterr().err
    assert srv.log and _auth_headers(srv) == {None}


def test_openai_without_its_key_fails_before_any_work(env, tmp_path, capsys):
    a = tmp_path / "a.txt"
    a.write_text("".join(f"text {i}\n" for i in range(12)))
    code = main(["diff", str(a), str(a), "--model", "openai:gpt-4o-mini", "--base-url",
                 "http://127.0.0.1:9/v1"])
    err = capsys.readouterr().err
    assert code == 3 and "only sent to api.openai.com" in err
