# The MLP 784-128-10 in PyTorch, float64, as bench/models/backprop-wasm.mjs trains it: sigmoid
# hidden layer, softmax output with cross-entropy (nn.CrossEntropyLoss on the logits), plain SGD
# at 0.1 on batches of 32 in order, one epoch per timed call; and predict on all rows at once.
# Run by bench/models/pytorch.mjs:
#   python3 pytorch.py <digits file> <rows> <threads> <warm-up s> <max s> <min samples>
# The file holds rows×784 float64 pixels then rows float64 labels (little-endian). Prints one
# JSON line: for train and predict, the seconds of each timed call.
import json
import sys
import time

import numpy as np
import torch

path, rows, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
warm_up, max_time, min_samples = float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
torch.set_num_threads(threads)
torch.manual_seed(1)

raw = np.fromfile(path, dtype="<f8")
x = torch.from_numpy(raw[: rows * 784].reshape(rows, 784).copy())
y = torch.from_numpy(raw[rows * 784 : rows * 785].astype(np.int64))

model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.Sigmoid(), torch.nn.Linear(128, 10)).double()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_of = torch.nn.CrossEntropyLoss()


def epoch():
    for start in range(0, rows, 32):
        optimizer.zero_grad(set_to_none=True)
        loss_of(model(x[start : start + 32]), y[start : start + 32]).backward()
        optimizer.step()


def predict():
    with torch.no_grad():
        model(x)


def timed(call):
    started = time.perf_counter()
    while time.perf_counter() - started < warm_up:
        call()
    seconds = []
    started = time.perf_counter()
    while len(seconds) < min_samples or time.perf_counter() - started < max_time:
        before = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - before)
    return seconds


print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "train": timed(epoch), "predict": timed(predict)}))
