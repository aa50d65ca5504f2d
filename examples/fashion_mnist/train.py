#!/usr/bin/env python3
"""Train a small ResNet on Fashion-MNIST and export it to ONNX for resnetc.

Network (input: float32 [N, 1, 28, 28], raw pixels / 255, no other normalisation):

    stem     3x3 conv, 16 ch, stride 1 + BN + ReLU                 -> 16 x 28 x 28
    stage 1  basic block(s), 16 ch, stride 1 (identity shortcut)    -> 16 x 28 x 28
    stage 2  basic block(s), 32 ch, first has stride 2 and a
             1x1 stride-2 conv + BN projection shortcut             -> 32 x 14 x 14
    stage 3  same at 64 ch                                          -> 64 x  7 x  7
    head     global average pool, flatten, linear 10                -> logits [N, 10]

A basic block is conv3x3-BN-ReLU-conv3x3-BN, added to the shortcut, then ReLU.
By default every stage has two blocks (the first one, plus one identity
block); ``--blocks-per-stage 1`` keeps only the first (about 40 % faster).

The model only uses ops resnetc supports: after export in eval mode with
constant folding every BatchNormalization is folded into its Conv, leaving
Conv, Relu, Add, GlobalAveragePool, Flatten and Gemm.

Training is SGD with Nesterov momentum and a one-cycle learning-rate schedule,
with fixed seeds and two intra-op threads so runs are repeatable on the
project's 2-core machines.  At the end the script prints the test accuracy of
the PyTorch model and of the exported ONNX file run in onnxruntime (graph
optimisations disabled, so ORT evaluates the plain ONNX semantics).
"""

import argparse
import collections
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fmnist_data  # noqa: E402  (local module, found through the path above)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with a residual connection (ResNet v1 basic block)."""

    def __init__(self, in_ch, out_ch, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_ch)
        self.conv2 = nn.Conv2d(out_ch, out_ch, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_ch)
        # Projection shortcut only where the shape changes; otherwise identity.
        self.shortcut = None
        if stride != 1 or in_ch != out_ch:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_ch, out_ch, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_ch),
            )

    def forward(self, x):
        identity = x if self.shortcut is None else self.shortcut(x)
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + identity)


class FashionResNet(nn.Module):
    """Three-stage ResNet for 28x28 single-channel images."""

    def __init__(self, widths=(16, 32, 64), blocks_per_stage=1, num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(1, widths[0], 3, padding=1, bias=False),
            nn.BatchNorm2d(widths[0]),
            nn.ReLU(inplace=True),
        )
        stages = []
        in_ch = widths[0]
        for i, width in enumerate(widths):
            stride = 1 if i == 0 else 2
            blocks = [BasicBlock(in_ch, width, stride)]
            blocks += [BasicBlock(width, width, 1) for _ in range(blocks_per_stage - 1)]
            stages.append(nn.Sequential(*blocks))
            in_ch = width
        self.stages = nn.Sequential(*stages)
        self.pool = nn.AdaptiveAvgPool2d(1)  # exported as GlobalAveragePool
        self.fc = nn.Linear(in_ch, num_classes)

    def forward(self, x):
        x = self.stages(self.stem(x))
        x = torch.flatten(self.pool(x), 1)  # exported as Flatten
        return self.fc(x)


def batches(n, batch_size, rng=None):
    """Yield index arrays covering range(n); shuffled when an rng is given."""
    order = rng.permutation(n) if rng is not None else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


@torch.no_grad()
def torch_predict(model, images, batch_size=500):
    model.eval()
    preds = [model(torch.from_numpy(images[idx])).argmax(1).numpy()
             for idx in batches(len(images), batch_size)]
    return np.concatenate(preds)


def ort_predict(onnx_path, images, batch_size=500, threads=2):
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    opts.intra_op_num_threads = threads
    sess = ort.InferenceSession(onnx_path, opts, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    preds = [sess.run(None, {name: images[idx]})[0].argmax(1)
             for idx in batches(len(images), batch_size)]
    return np.concatenate(preds)


def train(model, images, labels, args):
    rng = np.random.default_rng(args.seed)
    steps_per_epoch = (len(images) + args.batch_size - 1) // args.batch_size
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9,
                          nesterov=True, weight_decay=args.weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=steps_per_epoch)
    for epoch in range(args.epochs):
        model.train()
        t0 = time.time()
        total_loss, correct = 0.0, 0
        for idx in batches(len(images), args.batch_size, rng):
            x = images[idx]
            if args.flip:
                # Random horizontal flip of half the batch (clothes are roughly mirror-symmetric).
                flip = rng.random(len(idx)) < 0.5
                x = np.where(flip[:, None, None, None], x[..., ::-1], x)
            x = torch.from_numpy(np.ascontiguousarray(x))
            y = torch.from_numpy(labels[idx])
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total_loss += loss.item() * len(idx)
            correct += (logits.argmax(1) == y).sum().item()
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total_loss / len(images):.4f}, "
              f"train acc {100.0 * correct / len(images):.2f} %, {time.time() - t0:.1f} s",
              flush=True)


def export(model, path, opset):
    """Export in eval mode with constant folding, so BatchNormalization folds into Conv."""
    model.eval()
    dummy = torch.zeros(1, 1, 28, 28)
    torch.onnx.export(
        model, dummy, path,
        opset_version=opset,
        input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        do_constant_folding=True,
        training=torch.onnx.TrainingMode.EVAL,
    )


def op_counts(path):
    import onnx
    model = onnx.load(path)
    return collections.Counter(node.op_type for node in model.graph.node)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.1, help="peak learning rate of the one-cycle schedule")
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--blocks-per-stage", type=int, default=2)
    p.add_argument("--no-flip", dest="flip", action="store_false", help="disable flip augmentation")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--opset", type=int, default=13)
    p.add_argument("--output", default=os.path.join(HERE, "fmnist_resnet.onnx"))
    p.add_argument("--data-dir", default=fmnist_data.DEFAULT_DIR)
    args = p.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)

    train_x, train_y = fmnist_data.load_split("train", args.data_dir)
    test_x, test_y = fmnist_data.load_split("test", args.data_dir)

    model = FashionResNet(blocks_per_stage=args.blocks_per_stage)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"FashionResNet, {args.blocks_per_stage} block(s)/stage, {n_params} parameters")

    t0 = time.time()
    train(model, train_x, train_y, args)
    train_time = time.time() - t0
    print(f"training time: {train_time:.1f} s")

    torch_pred = torch_predict(model, test_x)
    torch_acc = 100.0 * np.mean(torch_pred == test_y)
    print(f"test accuracy (torch): {torch_acc:.2f} %")

    export(model, args.output, args.opset)
    size = os.path.getsize(args.output)
    print(f"exported {args.output} ({size / 1e3:.1f} kB, opset {args.opset})")
    ops = op_counts(args.output)
    print("ONNX ops: " + ", ".join(f"{op} x{n}" for op, n in sorted(ops.items())))

    ort_pred = ort_predict(args.output, test_x, threads=args.threads)
    ort_acc = 100.0 * np.mean(ort_pred == test_y)
    agree = 100.0 * np.mean(ort_pred == torch_pred)
    print(f"test accuracy (onnxruntime, optimisations off): {ort_acc:.2f} %")
    print(f"torch/onnxruntime top-1 agreement: {agree:.2f} %")


if __name__ == "__main__":
    main()
