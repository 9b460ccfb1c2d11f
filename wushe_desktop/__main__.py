"""``python -m wushe_desktop`` runs the same entry point as ``wushe-desktop``."""

import sys

from wushe_desktop.app import main

sys.exit(main())
