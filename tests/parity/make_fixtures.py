#!/usr/bin/env python3
"""Generate the RNG parity fixtures in tests/fixtures/parity/.

They record what transformers' seeded ``DataCollatorForLanguageModeling`` returns, with
``return_tensors="np"`` (numpy's PCG64 stream) and ``return_tensors="pt"`` (torch's MT19937
stream), for fixed batches, so that mlmask's ``rng: "numpy"`` and ``rng: "torch"`` can be
checked bit for bit without Python. CI never runs this script; it only reads its output.

Setup: the script bootstraps a scratch venv OUTSIDE the repository (default
``/tmp/parityvenv``) with the pinned packages from PyPI, then re-runs itself there::

    python3.12 tests/parity/make_fixtures.py            # from the repository root

numpy 2.5 needs Python >= 3.12. The PyPI torch wheel for Linux x86_64 is the CUDA build and
pulls its ``nvidia-*`` / ``cuda-*`` wheels (about 5 GB in the venv); PyPI has no CPU-only torch
wheel for Linux, and ``import torch`` fails without those libraries, so they are installed too.
Only the CPU generator is used. Pass ``--venv PATH`` to use another location, or run the script
with an interpreter that already has the pinned versions.

The output is deterministic: fixed texts (picked by fixed strides from the vendored corpus (tests/data)), fixed
seeds, fixed order, compact JSON. Running it twice gives byte-identical files.

Schema (one file per tokenizer, ``<out>/<tokenizer>.json``)::

    {"tokenizer": "<name>", "versions": {"transformers": .., "numpy": .., "torch": .., "tokenizers": ..},
     "len_tokenizer": N, "mask_token_id": .., "pad_token_id": .., "all_special_ids": [..],
     "max_length": 40, "pad_to_multiple_of": 8,
     "batches": [                      # the batch of call k, the same for every collator
       {"texts": [..], "batch_size": B, "seq_len": L,
        "ids": [B*L], "attention_mask": [B*L],
        "special_tokens_mask": [B*L],  # dict path: the tokenizer's mask, padding counted special
        "special_ids_mask": [B*L]}     # id-list path: get_special_tokens_mask(already_has_special_tokens=True)
     ],
     "collators": [
       {"name": .., "return_tensors": "np" | "pt", "path": "dict" | "ids", "seed": s,
        "mlm_probability": p, "mask_replace_prob": m, "random_replace_prob": r,
        "calls": [                     # one per batch, in order, on the same collator object
          {"input_ids": [[pos, id], ..],   # only the positions whose id changed
           "labels": [[pos, label], ..]}   # only the positions whose label is not -100
        ]}
     ],
     "dataloaders": [                  # bert-base-uncased only: the same collator run through
       {..., "num_workers": 2,         # torch.utils.data.DataLoader(num_workers=2); batch k was
        "calls": [..]}                 # collated by worker k % 2, seeded with seed + worker id
     ]}

Positions are row-major (``row * seq_len + column``). ``path: "dict"`` collators are called with
``tokenizer(text, truncation=True, max_length=40, return_special_tokens_mask=True)`` dicts;
``path: "ids"`` collators with the plain ``input_ids`` lists of the same encodings, so the collator
computes the special-tokens mask from ``all_special_ids``.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

PINS = {"transformers": "5.23.0", "numpy": "2.5.5", "torch": "2.15.0", "tokenizers": "0.23.3"}

SCRIPT_DIR = Path(__file__).resolve().parent
REPO_ROOT = SCRIPT_DIR.parent.parent

# The special tokens transformers sets for these models when loading them from the Hub
# (their tokenizer_config.json / special_tokens_map.json), so that all_special_ids is complete.
BERT_SPECIALS = dict(unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]", cls_token="[CLS]", mask_token="[MASK]")
ROBERTA_SPECIALS = dict(
    bos_token="<s>", eos_token="</s>", unk_token="<unk>", sep_token="</s>", cls_token="<s>",
    pad_token="<pad>", mask_token="<mask>",
)
TOKENIZERS = {
    "bert-base-uncased": BERT_SPECIALS,
    "roberta-base": ROBERTA_SPECIALS,
    "bert-base-multilingual-cased": BERT_SPECIALS,
}

# (name, mlm_probability, mask_replace_prob, random_replace_prob)
CONFIGS = [
    ("default", 0.15, 0.8, 0.1),
    ("split", 0.3, 0.5, 0.25),
    ("mask_only", 0.2, 1.0, 0.0),
    ("random_only", 0.25, 0.0, 1.0),
]
# Seeds cycle over the collators of a tokenizer; seed 0 comes first for each backend, and one
# seed is above 2^32 (torch keeps its low 32 bits, numpy's SeedSequence takes both words).
SEEDS = [0, 42, 7, (1 << 40) + 3, 123456789]

MAX_LENGTH = 40
PAD_TO_MULTIPLE_OF = 8
CALLS = 5
ROWS_PER_CALL = [4, 3, 4, 2, 4]


def bootstrap(venv: Path) -> None:
    """Re-run this script inside `venv`, creating it with the pinned packages if needed."""
    python = venv / "bin" / "python"
    if not python.exists():
        if sys.version_info < (3, 12):
            sys.exit(f"numpy {PINS['numpy']} needs Python >= 3.12; run this script with python3.12 or newer")
        print(f"creating {venv} ...", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", str(venv)])
    pins = [f"{name}=={version}" for name, version in PINS.items()]
    subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", *pins])
    os.execv(str(python), [str(python), __file__, *sys.argv[1:], "--no-bootstrap"])


def have_pins() -> bool:
    try:
        from importlib.metadata import version

        return all(version(name) == pin for name, pin in PINS.items())
    except Exception:
        return False


def corpus_lines(data: Path) -> list[str]:
    lines = []
    for name in ["botchan.txt", "kjv_sample.txt", "python311_docs_sample.txt"]:
        text = (data / "corpus" / "en" / name).read_text(encoding="utf-8")
        for line in text.splitlines():
            line = line.lstrip("\ufeff").strip()
            if len(line) >= 20:
                lines.append(line[:300])
    return lines


def udhr_texts(data: Path) -> list[str]:
    texts = []
    records = (data / "corpus" / "multilingual" / "udhr_sample.jsonl").read_text(encoding="utf-8").splitlines()
    for line in records[1::3]:
        # Skip the title lines; 200 code points of the preamble, whitespace collapsed.
        text = json.loads(line)["text"].split("\n", 2)[-1]
        texts.append(" ".join(text.split())[:200])
    return texts


def texts_for(name: str, data: Path, mask_token: str) -> list[list[str]]:
    """The texts of each call: corpus lines at fixed strides, plus a row with a literal mask
    token, an unknown character and a short text, so that the two special-token paths differ."""
    lines = corpus_lines(data)
    stride = max(1, len(lines) // 23)
    pool = lines[::stride]
    if name == "bert-base-multilingual-cased":
        udhr = udhr_texts(data)
        pool = [t for pair in zip(pool, udhr) for t in pair] + pool[len(udhr):]
    special = f"The {mask_token} sat on the mat \U0001f980 \u2603 next to {mask_token}."
    calls, k = [], 0
    for call, rows in enumerate(ROWS_PER_CALL):
        batch = []
        for _ in range(rows):
            batch.append(pool[k % len(pool)])
            k += 1
        if call in (0, 3):
            batch[1] = special
        if call == 2:
            batch[-1] = "Short one."
        calls.append(batch)
    return calls


def sparse(changed, values):
    return [[int(i), int(v)] for i, v in zip(changed.nonzero()[0], values[changed])]


def run_collator(collator, encoded_calls, batches, route, num_workers=0):
    """Call `collator` on each batch in order (directly, or through a torch DataLoader whose
    workers take the batches round-robin) and return the sparse results."""
    import numpy as np

    def features(examples):
        if route == "dict":
            return [dict(e) for e in examples]
        return [list(e["input_ids"]) for e in examples]

    if num_workers:
        import torch

        flat = [f for examples in encoded_calls for f in features(examples)]
        starts = np.cumsum([0] + [len(e) for e in encoded_calls])
        sampler = [list(range(starts[k], starts[k + 1])) for k in range(len(encoded_calls))]
        loader = torch.utils.data.DataLoader(flat, batch_sampler=sampler, collate_fn=collator, num_workers=num_workers)
        outputs = list(loader)
    else:
        outputs = [collator(features(examples)) for examples in encoded_calls]

    calls = []
    for out, batch in zip(outputs, batches):
        input_ids = np.asarray(out["input_ids"]).flatten()
        labels = np.asarray(out["labels"]).flatten()
        original = np.asarray(batch["ids"])
        assert input_ids.shape == original.shape
        calls.append({"input_ids": sparse(input_ids != original, input_ids), "labels": sparse(labels != -100, labels)})
    return calls


def build_fixture(name, tok, text_calls, plan, max_length, versions, dataloader=()):
    """Encode the texts of each call, then run every (backend, config, path, seed) of `plan`
    as one collator over all the calls, in order; `dataloader` entries run through a torch
    DataLoader with that many workers."""
    import numpy as np
    from transformers import DataCollatorForLanguageModeling
    from transformers.data.data_collator import _numpy_collate_batch

    encoded_calls, batches = [], []
    for texts in text_calls:
        examples = [tok(t, truncation=True, max_length=max_length, return_special_tokens_mask=True) for t in texts]
        encoded_calls.append(examples)
        padded = tok.pad(examples, return_tensors="np", pad_to_multiple_of=PAD_TO_MULTIPLE_OF)
        ids = padded["input_ids"]
        # What the collator's id-list path builds (_numpy_collate_batch) and the mask it then
        # computes: the same ids, and 1 wherever the id is in all_special_ids.
        listed = _numpy_collate_batch([e["input_ids"] for e in examples], tok, pad_to_multiple_of=PAD_TO_MULTIPLE_OF)
        assert (listed == ids).all(), name
        special_ids_mask = np.array(
            [tok.get_special_tokens_mask(row, already_has_special_tokens=True) for row in ids.tolist()]
        )
        batches.append(
            {
                "texts": texts,
                "batch_size": int(ids.shape[0]),
                "seq_len": int(ids.shape[1]),
                "ids": ids.flatten().tolist(),
                "attention_mask": padded["attention_mask"].flatten().tolist(),
                "special_tokens_mask": padded["special_tokens_mask"].flatten().tolist(),
                "special_ids_mask": special_ids_mask.flatten().tolist(),
            }
        )

    collators = []
    for backend, (config_name, p, m, r), route, seed in plan:
        collator = DataCollatorForLanguageModeling(
            tok,
            mlm_probability=p,
            mask_replace_prob=m,
            random_replace_prob=r,
            pad_to_multiple_of=PAD_TO_MULTIPLE_OF,
            seed=seed,
            return_tensors=backend,
        )
        calls = run_collator(collator, encoded_calls, batches, route)
        collators.append(
            {
                "name": f"{backend}-{config_name}-{route}-seed{seed}",
                "return_tensors": backend,
                "path": route,
                "seed": seed,
                "mlm_probability": p,
                "mask_replace_prob": m,
                "random_replace_prob": r,
                "calls": calls,
            }
        )

    loaders = []
    for backend, (config_name, p, m, r), route, seed, num_workers in dataloader:
        collator = DataCollatorForLanguageModeling(
            tok,
            mlm_probability=p,
            mask_replace_prob=m,
            random_replace_prob=r,
            pad_to_multiple_of=PAD_TO_MULTIPLE_OF,
            seed=seed,
            return_tensors=backend,
        )
        calls = run_collator(collator, encoded_calls, batches, route, num_workers)
        loaders.append(
            {
                "name": f"{backend}-{config_name}-{route}-seed{seed}-workers{num_workers}",
                "return_tensors": backend,
                "path": route,
                "seed": seed,
                "num_workers": num_workers,
                "mlm_probability": p,
                "mask_replace_prob": m,
                "random_replace_prob": r,
                "calls": calls,
            }
        )

    fixture = {
        "tokenizer": name,
        "versions": versions,
        "len_tokenizer": len(tok),
        "mask_token_id": tok.mask_token_id,
        "pad_token_id": tok.pad_token_id,
        "all_special_ids": sorted(tok.all_special_ids),
        "max_length": max_length,
        "pad_to_multiple_of": PAD_TO_MULTIPLE_OF,
    }
    lines = [json.dumps(fixture, ensure_ascii=False)[:-1] + ', "batches": [']
    lines.append(",\n".join(json.dumps(b, ensure_ascii=False, separators=(",", ":")) for b in batches))
    lines.append('], "collators": [')
    lines.append(",\n".join(json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in collators))
    lines.append('], "dataloaders": [')
    lines.append(",\n".join(json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in loaders))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def load_tokenizer(data: Path, name: str):
    from transformers import PreTrainedTokenizerFast

    tok = PreTrainedTokenizerFast(tokenizer_file=str(data / "tokenizers" / name / "tokenizer.json"), **TOKENIZERS[name])
    added_special = sorted(i for i, t in tok.added_tokens_decoder.items() if t.special)
    # mlmask's "ids" mode uses the special added tokens of tokenizer.json (plus pad and mask):
    # check that this is exactly transformers' all_special_ids here.
    assert sorted(tok.all_special_ids) == added_special, (name, tok.all_special_ids, added_special)
    return tok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="unpacked data dir (default: tests/data, unpacked)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "tests" / "fixtures" / "parity")
    parser.add_argument("--venv", type=Path, default=Path("/tmp/parityvenv"))
    parser.add_argument(
        "--sweep",
        type=Path,
        help="also write a large fixture (bert-base-uncased, 8 x 128 batches, 20 calls, seeds 0-9, every "
        "configuration, path and backend) to this file, for MLMASK_PARITY_SWEEP=<file> cargo test --test parity",
    )
    parser.add_argument("--no-bootstrap", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not have_pins():
        if args.no_bootstrap:
            sys.exit(f"the venv does not hold the pinned versions {PINS}")
        bootstrap(args.venv)

    import numpy as np
    import tokenizers
    import torch
    import transformers

    versions = {
        "transformers": transformers.__version__,
        "numpy": np.__version__,
        "torch": torch.__version__.split("+")[0],
        "tokenizers": tokenizers.__version__,
    }
    if args.data is None:
        sys.path.insert(0, str(REPO_ROOT / "tests" / "fixtures"))
        import vendored_data

        args.data = vendored_data.unpack()
    args.out.mkdir(parents=True, exist_ok=True)

    for name in TOKENIZERS:
        tok = load_tokenizer(args.data, name)
        plan = [(config, "dict") for config in CONFIGS] + [(CONFIGS[0], "ids"), (CONFIGS[1], "ids")]
        plan = [
            (backend, config, route, SEEDS[index % len(SEEDS)])
            for backend in ["np", "pt"]
            for index, (config, route) in enumerate(plan)
        ]
        # DataLoader workers seed their collator with seed + worker id and take batches
        # round-robin; recorded for the first tokenizer only.
        loaders = [(b, CONFIGS[0], "dict", 42, 2) for b in ["np", "pt"]] if name == "bert-base-uncased" else []
        text_calls = texts_for(name, args.data, tok.mask_token)
        text = build_fixture(name, tok, text_calls, plan, MAX_LENGTH, versions, loaders)
        target = args.out / f"{name}.json"
        target.write_text(text, encoding="utf-8")
        json.loads(target.read_text(encoding="utf-8"))
        print(f"{target}: {len(plan)} collators", file=sys.stderr)

    if args.sweep:
        name = "bert-base-uncased"
        tok = load_tokenizer(args.data, name)
        lines = corpus_lines(args.data)
        text_calls = [lines[8 * k : 8 * k + 8] for k in range(20)]
        plan = [
            (backend, config, route, seed)
            for backend in ["np", "pt"]
            for config in CONFIGS
            for route in ["dict", "ids"]
            for seed in range(10)
        ]
        args.sweep.write_text(build_fixture(name, tok, text_calls, plan, 128, versions), encoding="utf-8")
        print(f"{args.sweep}: {len(plan)} collators x {len(text_calls)} calls", file=sys.stderr)


if __name__ == "__main__":
    main()
