"""Writes torch_conformance.json: a small model in PyTorch (with torchvision's residual blocks), its
state dict, an input, the evaluation output, and after one training-mode forward/backward the
output, the updated batch-norm buffers and every parameter's gradient. NnConformanceTest rebuilds the
model from the spec in the file and checks Jumbo against these numbers.

Run with torch and torchvision installed:  python torch_conformance.py
"""
import json

import torch
from torch import nn
from torchvision.models.resnet import BasicBlock, Bottleneck

torch.manual_seed(0)


def downsample(i, o, s):
    return nn.Sequential(nn.Conv2d(i, o, 1, s, bias=False), nn.BatchNorm2d(o))


model = nn.Sequential(
    nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(),
    BasicBlock(4, 8, 2, downsample(4, 8, 2)),
    Bottleneck(8, 2, 1),
    nn.MaxPool2d(3, 2, 1), nn.AvgPool2d(2, 1, 1), nn.Flatten(),
    nn.Linear(72, 5), nn.LayerNorm(5), nn.RMSNorm(5), nn.GELU(), nn.Linear(5, 3), nn.LogSoftmax(1))
spec = {"layers": [
    {"type": "Conv2d", "in_channels": 1, "out_channels": 4, "kernel_size": 3, "padding": 1, "bias": False},
    {"type": "BatchNorm2d", "num_features": 4}, {"type": "ReLU"},
    {"type": "BasicBlock", "inplanes": 4, "planes": 8, "stride": 2},
    {"type": "Bottleneck", "inplanes": 8, "planes": 2, "stride": 1},
    {"type": "MaxPool2d", "kernel_size": 3, "stride": 2, "padding": 1},
    {"type": "AvgPool2d", "kernel_size": 2, "stride": 1, "padding": 1}, {"type": "Flatten"},
    {"type": "Linear", "in_features": 72, "out_features": 5}, {"type": "LayerNorm", "normalized_shape": 5},
    {"type": "RMSNorm", "normalized_shape": 5}, {"type": "GELU"},
    {"type": "Linear", "in_features": 5, "out_features": 3}, {"type": "LogSoftmax", "dim": 1}]}

with torch.no_grad():  # non-trivial normalization parameters and statistics
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm2d, nn.LayerNorm, nn.RMSNorm)):
            m.weight.uniform_(0.5, 1.5)
            if getattr(m, "bias", None) is not None:
                m.bias.uniform_(-0.2, 0.2)
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)


def flat(t):
    return [round(float(v), 8) for v in t.detach().reshape(-1).tolist()]


state = {k: {"shape": list(v.shape), "data": flat(v)} for k, v in model.state_dict().items()}
x = torch.randn(3, 1, 8, 8)
model.eval()
with torch.no_grad():
    y_eval = model(x)
model.train()
y_train = model(x)
r = torch.randn(y_train.shape)
(y_train * r).sum().backward()
out = {
    "spec": spec,
    "state": state,
    "input": {"shape": list(x.shape), "data": flat(x)},
    "output_eval": flat(y_eval),
    "output_train": flat(y_train),
    "output_weights": flat(r),
    "buffers_after_train": {k: flat(v) for k, v in model.state_dict().items() if "running" in k or "num_batches" in k},
    "grads": {k: flat(p.grad) for k, p in model.named_parameters()},
}
with open("torch_conformance.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
