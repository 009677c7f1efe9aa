"""What agencies report and how it is judged: progress updates, the focal department's review,
the evidence files, requests for explanation, and what the consolidated report reads."""
