"""The focal department's deadlines in chat (adding, listing, editing, cancelling), the
acknowledgements of their reminders, and the extension requests of agencies."""
