"""The focal department's review: confirming or returning updates, requests for explanation, the
consolidated report; the actions the web console shares."""
