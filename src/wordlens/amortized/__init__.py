"""Amortized proposing: forward-sampled problems, a learned inverse proposer, a replay set of
search winners and expert iteration. Import submodules directly (torch loads lazily)."""
