"""People and their roles: sign-up to an agency, linked accounts, privacy and erasure, the e-mail
address, the leaders of an agency and the officials responsible for its indicators."""
