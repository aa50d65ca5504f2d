"""Fashion-MNIST loader shared by the training script, the demo and the tests.

The dataset comes from Debian's ``dataset-fashion-mnist`` package, which ships
the original gzip-compressed IDX files.  The IDX format is tiny: a big-endian
header (magic number whose low byte is the number of dimensions, then one
uint32 per dimension) followed by the raw uint8 payload.  Only numpy and the
standard library are needed to read it.

Images are returned the way the exported model expects them: float32 NCHW
``[N, 1, 28, 28]`` holding raw pixel values divided by 255 (range [0, 1]).
There is no mean/std normalisation; the network's first BatchNormalization
takes care of scaling.
"""

import gzip
import os
import struct

import numpy as np

#: Where Debian installs the dataset; overridable for other machines.
DEFAULT_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")

#: Human-readable names of the ten classes, indexed by label.
CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)

# IDX type code 0x08 means unsigned byte, the only type these files use.
_IDX_UBYTE = 0x08


def read_idx(path):
    """Read one (optionally gzip-compressed) IDX file into a uint8 numpy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack_from(">HBB", data, 0)
    if zero != 0 or dtype_code != _IDX_UBYTE:
        raise ValueError(f"{path}: not a uint8 IDX file")
    dims = struct.unpack_from(f">{ndim}I", data, 4)
    offset = 4 + 4 * ndim
    count = int(np.prod(dims))
    if len(data) - offset != count:
        raise ValueError(f"{path}: expected {count} payload bytes, found {len(data) - offset}")
    return np.frombuffer(data, dtype=np.uint8, offset=offset).reshape(dims)


def load_split(split, data_dir=DEFAULT_DIR):
    """Return ``(images, labels)`` for ``split`` in {"train", "test"}.

    images: float32 [N, 1, 28, 28] in [0, 1]; labels: int64 [N].
    """
    prefix = {"train": "train", "test": "t10k"}[split]
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"{split}: {images.shape[0]} images but {labels.shape[0]} labels")
    images = (images.astype(np.float32) / 255.0)[:, np.newaxis, :, :]
    return np.ascontiguousarray(images), labels.astype(np.int64)
