"""`python -m wordlens` runs the command-line interface."""

import sys

from wordlens.cli.main import main

sys.exit(main())
