"""Training the learned proposer: synthetic problems (forward sampling), the hypothesis bank,
search winners as a replay set, expert iteration and evaluation. Import submodules directly
(torch loads lazily). The proposer itself is :mod:`wordlens.proposers.learned`."""
