"""Sentence embeddings without torch.

encoder (the verified all-MiniLM-L6-v2 weights, their ONNX graph and static token table) and embedders
(onnxruntime + tokenizers, mean pooling, L2 norm; the static embedder the scorer uses).

May import: coach.config and coach.errors only.
"""
