"""`python -m footlog` runs the command line."""

import sys

from footlog.cli import main

sys.exit(main())
