"""The reference for the k-NN experiment bench: scikit-learn's brute-force k-NN classifier on Fashion-MNIST.

Reads the IDX files the platform imports, fits KNeighborsClassifier(k, algorithm="brute") on the training
images (float32 pixels, as the platform holds them) and predicts the test images; prints one JSON line
with the seconds to fit and predict, the seconds to read the files, and the accuracy.
"""
import gzip
import json
import sys
import time

import numpy as np
from sklearn.neighbors import KNeighborsClassifier


def read(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def main(directory, k):
    started = time.perf_counter()
    train = read(f"{directory}/train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32)
    train_labels = read(f"{directory}/train-labels-idx1-ubyte.gz", 8).astype(np.int64)
    test = read(f"{directory}/t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32)
    test_labels = read(f"{directory}/t10k-labels-idx1-ubyte.gz", 8).astype(np.int64)
    loaded = time.perf_counter()
    model = KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(train, train_labels)
    predicted = model.predict(test)
    done = time.perf_counter()
    print(json.dumps({"seconds": done - loaded, "read_seconds": loaded - started, "accuracy": float((predicted == test_labels).mean())}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
