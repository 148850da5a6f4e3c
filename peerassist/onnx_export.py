"""Turn a local sentence-transformers folder into an int8 ONNX encoder, once per model and cache.

The only place that imports torch for the ONNX backend: the export runs on first use (about 15 s,
most of it importing torch) and every later process loads the cached file in well under a second.
Nothing is downloaded: the graph is traced from the weights already on disk.

Measured on 1,000 SQuAD sentences, batch 64, 2 cores (torch backend 137 sentences/s = 1.0):
fp32 ONNX 1.12x, fp32 after onnxruntime's BERT fusions 1.06x, int8 per-tensor 2.1x (min cosine
to torch 0.913: too far), **int8 per-channel, constant weights only 2.05x (min cosine 0.987,
mean 0.993)** — the one kept.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import warnings
from pathlib import Path

from filelock import FileLock

# Bump when the export recipe changes: cached files of an older recipe are then not reused.
EXPORT_RECIPE = "mean-pool-normalize/opset17/int8-per-channel-constb/v1"
INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]


def exported_model_path(model_dir: Path, cache_dir: Path) -> Path:
    """Where the encoder of `model_dir` lives in the cache; exported there first if missing."""
    weights = _weights_file(model_dir)
    stat = weights.stat()
    key = hashlib.sha256(f"{model_dir.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{EXPORT_RECIPE}".encode())
    target = cache_dir / f"{model_dir.name}-{key.hexdigest()[:16]}.onnx"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if not target.is_file():  # another process may have exported it while we waited
            _export(model_dir, target)
    return target


def _weights_file(model_dir: Path) -> Path:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (model_dir / name).is_file():
            return model_dir / name
    raise FileNotFoundError(f"no model.safetensors or pytorch_model.bin in {model_dir}")


def _export(model_dir: Path, target: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    class SentenceEncoder(torch.nn.Module):
        """The transformer plus sentence-transformers' mean pooling and normalisation, in one graph."""

        def __init__(self, transformer: torch.nn.Module) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            hidden = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    encoder = SentenceEncoder(AutoModel.from_pretrained(str(model_dir), local_files_only=True)).eval()
    example = torch.ones((2, 8), dtype=torch.long)
    dynamic = {0: "batch", 1: "tokens"}
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        fp32 = Path(scratch) / "fp32.onnx"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                encoder,
                (example, example, torch.zeros_like(example)),
                str(fp32),
                input_names=INPUT_NAMES,
                output_names=["embedding"],
                dynamic_axes={**{name: dynamic for name in INPUT_NAMES}, "embedding": {0: "batch"}},
                opset_version=17,
                dynamo=False,
            )
        int8 = Path(scratch) / "int8.onnx"
        logging.disable(logging.WARNING)  # the quantiser logs advice about static quantisation
        try:
            quantize_dynamic(
                fp32,
                int8,
                weight_type=QuantType.QInt8,
                per_channel=True,
                # Attention's activation-by-activation products stay fp32: quantising them cost accuracy.
                extra_options={"MatMulConstBOnly": True, "DefaultTensorType": 1},
            )
        finally:
            logging.disable(logging.NOTSET)
        os.replace(int8, target)
