"""Deadlines the focal department adds, their acknowledgements, and agencies' extension
requests."""
