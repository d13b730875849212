print("http bench")
