"""The support desk: tickets from users and signed-out visitors, answered from the back office."""
