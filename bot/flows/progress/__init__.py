"""Quick progress updates of an agency on its indicators: the commands, who may post what, reading
one line, saving and undoing, the history."""
