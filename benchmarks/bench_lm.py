"""Benchmark rows for Part II: n-gram models against nltk.lm, the neural LM against PyTorch.

``run.py`` registers :func:`rows` (its ``BENCHES`` gains ``"ngram"`` and
``"nplm"``). The functions take the row class from ``run.py`` so that this file
needs nothing from it at import time.

* ``ngram``: :class:`llmmath.NGramModel` (add-one, trigram) fitted on the
  training plays and scored on the test plays, against ``nltk.lm.Laplace`` fed
  the same n-grams (our padding: n - 1 ``<s>``, one ``</s>``) with the same
  vocabulary. Every test probability must agree, and llmmath must be at least
  10x faster. nltk's time covers building its ``NgramCounter`` and scoring
  every test token; building the n-gram tuples it is given is not counted.
* ``nplm``: one epoch of :class:`llmmath.NeuralLM` (the chapter 7 sizes)
  against the same model in PyTorch, from the same initial weights, over the
  same minibatches, both float64 on one thread (the chapter trains on one BLAS
  thread, see ``llmmath.lm.nplm``). The losses must agree after the first
  step to 1e-6, and llmmath must take at most 1.5x PyTorch's time.
"""

from __future__ import annotations

import time

import numpy as np

import llmmath


def _ngrams(sentences, n):
    out = []
    for s in sentences:
        pad = ["<s>"] * (n - 1) + list(s) + ["</s>"]
        out.append([tuple(pad[t - k + 1:t + 1]) for t in range(n - 1, len(pad)) for k in range(1, n + 1)])
    return out


def bench_ngram(Row, n: int = 3, n_train: int | None = None, n_test: int | None = None,
                repeats: int = 3) -> list:
    """add-one n-gram fit + test perplexity, llmmath vs nltk.lm (see the module docstring)."""
    from nltk.lm import Laplace, Vocabulary
    from nltk.lm.counter import NgramCounter

    from bench_timing import interleaved

    t0 = time.perf_counter()
    corpus = llmmath.load_shakespeare()
    vocab = llmmath.vocabulary(corpus.train[:n_train], min_count=2)
    train = llmmath.replace_rare(corpus.train[:n_train], vocab)
    test = llmmath.replace_rare(corpus.test[:n_test], vocab)
    train_grams = _ngrams(train, n)
    test_grams = [g for s in _ngrams(test, n) for g in s if len(g) == n]
    nltk_vocab = Vocabulary([w for w in vocab if w != "<unk>"], unk_label="<unk>")

    def ours():
        model = llmmath.NGramModel(n, "add-k", k=1.0).fit(train)
        return model, model.perplexity(test)

    def theirs():
        lm = Laplace(n, vocabulary=nltk_vocab, counter=NgramCounter(train_grams))
        probs = np.array([lm.unmasked_score(g[-1], g[:-1]) for g in test_grams])
        return probs, float(np.exp(-np.mean(np.log(probs))))

    model, pp = ours()
    probs, pp_ref = theirs()
    mine = np.exp(model.log_probs(test))
    err = float(np.max(np.abs(mine / probs - 1)))
    checks = {"same vocabulary size": len(nltk_vocab) == len(model.vocab),
              "same tokens scored": len(mine) == len(probs),
              "every probability equal, rel <= 1e-12": err <= 1e-12,
              "same perplexity, rel <= 1e-12": abs(pp / pp_ref - 1) <= 1e-12}
    tm = interleaved({"llmmath": ours, "nltk": theirs}, repeats=repeats, warmup=0)
    speedup = tm.ratio("nltk", "llmmath")
    measured = (f"{speedup:.1f}x faster ({tm.median('llmmath'):.2f} s vs {tm.median('nltk'):.2f} s); "
                f"test perplexity {pp:.2f} vs {pp_ref:.2f}; max relative difference of the "
                f"{len(probs)} probabilities {err:.1e}")
    return [Row("ngram", f"NGramModel({n}, 'add-k', k=1).fit(train) + perplexity(test), "
                f"{sum(len(s) for s in train)} training tokens, |V| = {len(vocab)}",
                "nltk.lm.Laplace on the same n-grams and vocabulary (unmasked_score per test token)",
                measured, ">= 10x faster; same probabilities", speedup >= 10.0, checks, "",
                time.perf_counter() - t0)]


def _torch_model(params):
    import torch

    return {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}


def bench_nplm(Row, vocab_size: int = 1000, n_sentences: int | None = None, batch_size: int = 256,
               lr: float = 3e-3, repeats: int = 1) -> list:
    """One NeuralLM epoch against the same model in PyTorch (see the module docstring)."""
    import torch
    import torch.nn.functional as F
    from threadpoolctl import threadpool_limits

    from bench_timing import interleaved

    t0 = time.perf_counter()
    corpus = llmmath.load_shakespeare()
    vocab = llmmath.vocabulary(corpus.train, max_size=vocab_size)
    train = llmmath.replace_rare(corpus.train[:n_sentences], vocab)
    sizes = {"context": 3, "dim": 30, "hidden": 50}
    X, y = llmmath.NeuralLM(vocab, **sizes).windows(train)
    order = np.random.default_rng(0).permutation(len(y))   # the order NeuralLM.fit(seed=0) uses
    batches = [order[i:i + batch_size] for i in range(0, len(y), batch_size)]
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)

    def ours():
        model = llmmath.NeuralLM(vocab, seed=2003, **sizes)
        with threadpool_limits(limits=1, user_api="blas"):
            losses = [model.step(X[b], y[b], lr=lr) for b in batches]
        return model, losses

    def theirs():
        T = _torch_model(llmmath.NeuralLM(vocab, seed=2003, **sizes).params)
        opt = torch.optim.Adam(list(T.values()), lr=lr)
        losses = []
        previous = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            for b in batches:
                bt = torch.as_tensor(b)
                x = F.embedding(Xt[bt], T["C"]).reshape(len(b), -1)
                logits = F.linear(torch.tanh(F.linear(x, T["H"], T["d"])), T["U"], T["b"])
                loss = F.cross_entropy(logits, yt[bt])
                opt.zero_grad()
                loss.backward()
                opt.step()
                losses.append(loss.item())
        finally:
            torch.set_num_threads(previous)
        return T, losses

    model, mine = ours()
    T, ref = theirs()
    diffs = np.abs(np.array(mine) - np.array(ref))
    param_err = max(float(np.max(np.abs(model.params[k] - T[k].detach().numpy()))) for k in model.params)
    checks = {"same loss before the first step": diffs[0] <= 1e-12,
              "same loss after the first step, <= 1e-6": len(diffs) > 1 and diffs[1] <= 1e-6,
              "same epoch mean loss, rel <= 1e-6": abs(np.mean(mine) / np.mean(ref) - 1) <= 1e-6}
    tm = interleaved({"llmmath": ours, "torch": theirs}, repeats=repeats, warmup=0)
    ratio = tm.ratio("llmmath", "torch")
    measured = (f"{ratio:.2f}x torch ({tm.median('llmmath'):.1f} s vs {tm.median('torch'):.1f} s) for "
                f"{len(batches)} Adam steps; loss after step 1 differs by {diffs[1]:.1e}, largest loss "
                f"difference over the epoch {diffs.max():.1e}, parameters at the end {param_err:.1e}")
    return [Row("nplm", f"NeuralLM(|V|={len(vocab)}, context=3, dim=30, hidden=50), one epoch of "
                f"{len(y)} windows, batch {batch_size}, float64, 1 thread",
                "the same model in PyTorch (Embedding, Linear, tanh, cross_entropy, Adam), same "
                "weights and batches, 1 thread", measured, "<= 1.50x torch; loss after step 1 +- 1e-6",
                ratio <= 1.5, checks, "", time.perf_counter() - t0)]


def rows(Row) -> dict:
    """The Part II entries for ``run.py``'s ``BENCHES``."""
    return {"ngram": lambda: bench_ngram(Row), "nplm": lambda: bench_nplm(Row)}
