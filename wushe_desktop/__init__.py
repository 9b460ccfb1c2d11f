"""五社联动工作站 (wushe_desktop): the desktop tool of a township social work station."""

__version__ = "0.1.0"
APP_NAME = "wushe_desktop"
APP_TITLE = "五社联动工作站"
