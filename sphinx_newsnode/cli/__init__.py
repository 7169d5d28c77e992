"""The ``newsnode`` command, on top of every layer."""
