"""Listings: a designer's services, their prices, who may see them and how clients find them."""
