"""The conversation core: the message types, the turn, the dispatcher, who may do what, and how
answers are drawn."""
