"""The release of this sprintlock: what generated files pin (``sprintlock==X``)."""

__version__ = "0.1.0"
