"""The application's plumbing: settings, services, translations, redaction, the command line and
the terminal."""
