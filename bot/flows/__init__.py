"""The conversation flows: sign-up, questions, progress, deadlines, broadcasts, review, admin
commands."""
