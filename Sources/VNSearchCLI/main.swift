print("vnsearch")
