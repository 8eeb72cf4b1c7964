import sys

from prunecert.cli import main

sys.exit(main())
