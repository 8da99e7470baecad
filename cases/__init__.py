"""Cases: the transaction process between a client and a designer, its deadlines and reviews."""
