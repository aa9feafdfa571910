print("qfp")
