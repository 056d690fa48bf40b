"""Writes torchvision_state_dicts.json: for each model ZooTest checks, torchvision 0.28's parameter
count and its state dict keys, in order, each followed by the tensor's shape.

Run with torch and torchvision installed:  python torchvision_state_dicts.py
"""
import json

import torchvision.models as models

out = {}
for name in ["resnet18", "resnet50", "vgg16", "alexnet", "mobilenet_v2"]:
    m = getattr(models, name)(weights=None)
    out[name] = {"parameters": sum(p.numel() for p in m.parameters()),
                 "state_dict": [[k] + list(v.shape) for k, v in m.state_dict().items()]}
with open("torchvision_state_dicts.json", "w") as f:
    f.write(json.dumps(out, separators=(",", ":")).replace("],[", "],\n["))
