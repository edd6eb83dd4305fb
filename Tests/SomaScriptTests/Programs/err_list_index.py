[1].index(3)
