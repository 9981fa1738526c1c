"""Community safety and services assistant for Willimantic and the Town of Windham, CT.

The core package: it never imports gradio and does no work at import time.
"""

__version__ = "0.1.0"
