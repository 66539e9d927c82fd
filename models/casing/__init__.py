"""The trained casing model: noise, features, network, training and decisions."""
