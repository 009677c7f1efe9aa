"""What the tests share: fake Bot API and Zalo servers, the test clock, worlds and helpers."""
