#!/usr/bin/env python3
"""Golden values for ce-train's optimiser, schedules and losses (dev.ce4j.train.optim/schedule/loss).

Run with Debian's PyTorch (python3-torch, torch 1.13):

    /usr/bin/python3 ce-train/src/test/python/train_golden.py

It writes adamw.json, schedules.json and losses.json to ce-train/src/test/resources/golden/
(next to this script's ../resources/golden). The Java tests read those files; they never run
Python.

Independent references:
- AdamW and gradient clipping: torch.optim.AdamW and torch.nn.utils.clip_grad_norm_ themselves.
- Schedules: transformers is not installed here, so the lr lambdas of transformers'
  src/transformers/optimization.py (_get_constant_lambda,
  _get_constant_schedule_with_warmup_lr_lambda, _get_linear_schedule_with_warmup_lr_lambda,
  _get_cosine_schedule_with_warmup_lr_lambda) and TrainingArguments.get_warmup_steps are copied
  below verbatim (only renamed).
- Losses: the tensor code of sentence-transformers' cross_encoder/losses/*.py (v5, after the
  model call), copied line by line into functions of the padded logits matrix; gradients by
  torch autograd with respect to the logits. Deviations, each marked "DEVIATION" below: sorts are
  stable (sentence-transformers' torch.sort is not, so ties would be arbitrary there), and
  ListMLE leaves padded documents out of the Plackett-Luce denominators (sentence-transformers
  gives them logit 1e-16, i.e. exp = 1; for equal-length lists both agree, which is asserted).
"""
import json
import math
import os

import torch
from torch import nn

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden")


def floats(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


# --------------------------------------------------------------------------------------------
# AdamW and clip_grad_norm_
# --------------------------------------------------------------------------------------------
def adamw_golden():
    g = torch.Generator().manual_seed(20240611)
    shapes = {
        "bert.encoder.layer.0.attention.self.query.weight": [3, 4],
        "bert.encoder.layer.0.attention.self.query.bias": [3],
        "bert.encoder.layer.0.output.LayerNorm.weight": [4],
        "bert.encoder.layer.0.output.LayerNorm.bias": [4],
        "head.layer_norm.weight": [2],
        "classifier.weight": [2, 3],
    }
    no_decay = lambda n: n.endswith(".bias") or "LayerNorm." in n or "layer_norm" in n
    cases = []
    for case, (wd, lrs, betas, eps, late) in {
        "default_betas": (0.01, [1e-3, 2e-3, 5e-4, 1e-3, 3e-4], (0.9, 0.999), 1e-8, None),
        "strong_decay_custom_betas": (0.1, [5e-2, 5e-2, 1e-2, 0.0, 2e-2], (0.8, 0.99), 1e-6,
                                      "classifier.weight"),
    }.items():
        params = {n: (torch.randn(s, generator=g) * 0.5).requires_grad_(True) for n, s in shapes.items()}
        init = {n: floats(p) for n, p in params.items()}
        decay = [p for n, p in params.items() if not no_decay(n)]
        nodecay = [p for n, p in params.items() if no_decay(n)]
        opt = torch.optim.AdamW(
            [{"params": decay, "weight_decay": wd}, {"params": nodecay, "weight_decay": 0.0}],
            lr=lrs[0], betas=betas, eps=eps)
        steps = []
        for i, lr in enumerate(lrs):
            grads = {n: torch.randn(s, generator=g) for n, s in shapes.items()}
            for group in opt.param_groups:
                group["lr"] = lr
            for n, p in params.items():
                # 'late': this parameter has no gradient (None) at step 0, so torch skips it
                p.grad = None if (late == n and i == 0) else grads[n].clone()
            opt.step()
            steps.append({
                "lr": lr,
                "grads": {n: floats(grads[n]) for n in shapes if not (late == n and i == 0)},
                "params": {n: floats(p) for n, p in params.items()},
            })
        state = {}
        for n, p in params.items():
            st = opt.state[p]
            state[n] = {"step": int(st["step"].item()), "exp_avg": floats(st["exp_avg"]),
                        "exp_avg_sq": floats(st["exp_avg_sq"])}
        cases.append({"name": case, "weight_decay": wd, "beta1": betas[0], "beta2": betas[1],
                      "eps": eps, "shapes": shapes, "init": init, "steps": steps, "state": state})

    clip = []
    for name, max_norm, scale in [("clipped", 1.0, 1.0), ("not_clipped", 100.0, 1.0),
                                  ("clipped_small", 0.05, 0.1)]:
        grads = {n: torch.randn(s, generator=g) * scale for n, s in shapes.items()}
        params = {n: torch.zeros(s, requires_grad=True) for n, s in shapes.items()}
        for n, p in params.items():
            p.grad = grads[n].clone()
        total = torch.nn.utils.clip_grad_norm_(list(params.values()), max_norm)
        clip.append({"name": name, "max_norm": max_norm, "shapes": shapes,
                     "grads": {n: floats(v) for n, v in grads.items()},
                     "total_norm": float(total),
                     "clipped": {n: floats(p.grad) for n, p in params.items()}})
    return {"torch": torch.__version__, "adamw": cases, "clip": clip}


# --------------------------------------------------------------------------------------------
# Schedules: verbatim from transformers/optimization.py and training_args.py
# --------------------------------------------------------------------------------------------
def _get_constant_lambda(_=None):
    return 1


def _get_constant_schedule_with_warmup_lr_lambda(current_step: int, *, num_warmup_steps: int):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1.0, num_warmup_steps))
    return 1.0


def _get_linear_schedule_with_warmup_lr_lambda(current_step: int, *, num_warmup_steps: int, num_training_steps: int):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    return max(0.0, float(num_training_steps - current_step) / float(max(1, num_training_steps - num_warmup_steps)))


def _get_cosine_schedule_with_warmup_lr_lambda(
    current_step: int, *, num_warmup_steps: int, num_training_steps: int, num_cycles: float
):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    progress = float(current_step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))


def get_warmup_steps(warmup_steps, warmup_ratio, num_training_steps: int):
    warmup_steps = (
        warmup_steps if warmup_steps > 0 else math.ceil(num_training_steps * warmup_ratio)
    )
    return warmup_steps


def schedules_golden():
    cases = []
    for warmup, total in [(0, 10), (3, 10), (10, 10), (7, 100), (1, 1), (0, 0), (25, 1000)]:
        steps = list(range(0, total + 3)) if total <= 100 else list(range(0, total + 3, 7))
        cases.append({"type": "constant", "warmup": warmup, "total": total, "steps": steps,
                      "multipliers": [float(_get_constant_lambda(s)) for s in steps]})
        cases.append({"type": "constant_with_warmup", "warmup": warmup, "total": total, "steps": steps,
                      "multipliers": [_get_constant_schedule_with_warmup_lr_lambda(s, num_warmup_steps=warmup)
                                      for s in steps]})
        cases.append({"type": "linear", "warmup": warmup, "total": total, "steps": steps,
                      "multipliers": [_get_linear_schedule_with_warmup_lr_lambda(
                          s, num_warmup_steps=warmup, num_training_steps=total) for s in steps]})
        cases.append({"type": "cosine", "warmup": warmup, "total": total, "steps": steps,
                      "multipliers": [_get_cosine_schedule_with_warmup_lr_lambda(
                          s, num_warmup_steps=warmup, num_training_steps=total, num_cycles=0.5)
                          for s in steps]})
    warmups = []
    for ws, ratio, total in [(0, 0.1, 30), (0, 0.06, 1000), (0, 0.1, 1000), (5, 0.5, 100), (0, 0.0, 100),
                             (0, 0.07, 100), (0, 1.0, 17), (0, 0.33, 10), (3, 0.0, 0)]:
        warmups.append({"warmup_steps": ws, "warmup_ratio": ratio, "total": total,
                        "result": get_warmup_steps(ws, ratio, total)})
    return {"schedules": cases, "warmup_steps": warmups}


# --------------------------------------------------------------------------------------------
# Losses: sentence-transformers' tensor code after the model call
# --------------------------------------------------------------------------------------------
ACT = {"identity": lambda x: x, "sigmoid": torch.sigmoid, "tanh": torch.tanh}


def st_bce(logits, labels, act="identity", pos_weight=None):
    pw = None if pos_weight is None else torch.tensor(pos_weight)
    logits = ACT[act](logits.view(-1))
    return nn.BCEWithLogitsLoss(pos_weight=pw)(logits, labels.float())


def st_multilabel_bce(logits, labels, act="identity", pos_weight=None):
    # sentence-transformers has no multi-label loss; this is nn.BCEWithLogitsLoss over [B, C]
    pw = None if pos_weight is None else torch.tensor(pos_weight)
    return nn.BCEWithLogitsLoss(pos_weight=pw)(ACT[act](logits), labels.float())


def st_ce(logits, labels, act="identity"):
    return nn.CrossEntropyLoss()(ACT[act](logits), labels)


def st_mse(logits, labels, act="identity"):
    return nn.MSELoss()(ACT[act](logits.view(-1)), labels.float())


def st_margin_mse(logits, labels, act="identity"):
    # MarginMSELoss.forward with positive_logits = column 0, negatives = the other columns
    batch_size = logits.shape[0]
    num_negatives = logits.shape[1] - 1
    if labels.shape == (batch_size, num_negatives + 1):
        labels = labels[:, 0].unsqueeze(1) - labels[:, 1:]
    if labels.shape == (batch_size,):
        labels = labels.unsqueeze(1)
    x = ACT[act](logits)
    positive_logits = x[:, 0]
    margin_logits = positive_logits.unsqueeze(1) - torch.stack([x[:, k] for k in range(1, num_negatives + 1)], dim=1)
    return nn.MSELoss()(margin_logits, labels.float())


def st_mnrl(logits, scale=10.0, act="sigmoid"):
    # MultipleNegativesRankingLoss.calculate_loss with the score columns already stacked
    batch_size = logits.shape[0]
    logits = torch.cat([logits[:, k] for k in range(logits.shape[1])], dim=0).reshape(-1, batch_size).T
    if act:
        logits = ACT[act](logits)
    if scale:
        logits = logits * scale
    labels = torch.zeros(batch_size, device=logits.device, dtype=torch.long)
    return nn.CrossEntropyLoss()(logits, labels)


def padded(logits, mask, fill):
    return torch.where(mask, logits, torch.full_like(logits, fill))


def st_listnet(logits, labels, mask, act="identity"):
    logits = ACT[act](logits)
    logits_matrix = padded(logits, mask, -1e16)
    labels_matrix = torch.where(mask, labels, torch.full_like(labels, float("-inf")))
    return nn.CrossEntropyLoss()(logits_matrix, labels_matrix.softmax(dim=1))


def st_plistmle(logits, labels, mask, act="identity", respect_input_order=True, lambda_weight=False,
                fix_padding=True):
    eps = 1e-10
    logits_matrix = padded(ACT[act](logits), mask, 1e-16)
    labels_matrix = torch.where(mask, labels, torch.full_like(labels, -float("inf")))
    if not respect_input_order:
        # DEVIATION: stable=True (ties in labels keep input order)
        sorted_labels, indices = labels_matrix.sort(descending=True, dim=1, stable=True)
        sorted_logits = torch.gather(logits_matrix, 1, indices)
        sorted_mask = torch.gather(mask, 1, indices)
    else:
        sorted_logits = logits_matrix
        sorted_mask = mask
    scores = sorted_logits.exp()
    if fix_padding:
        # DEVIATION: padded documents are not part of the Plackett-Luce denominators
        scores = scores.masked_fill(~sorted_mask, 0.0)
    cumsum_scores = torch.flip(torch.cumsum(torch.flip(scores, [1]), 1), [1])
    log_probs = sorted_logits - torch.log(cumsum_scores + eps)
    if lambda_weight:
        # PListMLELambdaWeight (default rank discount), on the mask of the ranked order
        num_docs_per_query = mask.sum(dim=1, keepdim=True)
        ranks = torch.arange(mask.size(1), device=mask.device).expand_as(mask)
        weights = torch.pow(2.0, num_docs_per_query - ranks) - 1.0
        weights = weights * mask
        weights = weights / (weights.sum(dim=1, keepdim=True) + eps)
        log_probs = log_probs * weights
    log_probs = log_probs.masked_fill(~sorted_mask, 0.0)
    per_query_losses = -torch.sum(log_probs, dim=1)
    return torch.mean(per_query_losses)


def st_lambda(logits, labels, mask, scheme="ndcg_loss2pp", mu=10.0, k=None, sigma=1.0, eps=1e-10,
              reduction_log="binary", act="identity"):
    max_docs = logits.shape[1]
    logits_matrix = padded(ACT[act](logits), mask, -1e16)
    labels_matrix = torch.where(mask, labels, torch.full_like(labels, float("-inf")))
    # DEVIATION: stable=True (the test data has no tied logits, so it changes nothing here)
    logits_matrix_sorted, indices_pred = logits_matrix.sort(descending=True, dim=-1, stable=True)
    labels_matrix_sorted, _ = labels_matrix.sort(descending=True, dim=-1)
    true_sorted_by_preds = torch.gather(labels_matrix, dim=1, index=indices_pred)
    true_diffs = true_sorted_by_preds[:, :, None] - true_sorted_by_preds[:, None, :]
    padded_pairs_mask = torch.isfinite(true_diffs)
    if scheme != "ndcg_loss1":
        padded_pairs_mask = padded_pairs_mask & (true_diffs > 0)
    k = k or max_docs
    ndcg_at_k_mask = torch.zeros((max_docs, max_docs), dtype=torch.bool)
    ndcg_at_k_mask[:k, :k] = 1
    true_sorted_by_preds.clamp_(min=0.0)
    labels_matrix_sorted.clamp_(min=0.0)
    pos_idxs = torch.arange(1, max_docs + 1)
    discount = torch.log2(1.0 + pos_idxs.float())[None, :]
    maxDCGs = torch.sum(((torch.pow(2, labels_matrix_sorted) - 1) / discount)[:, :k], dim=-1).clamp(min=eps)
    gain = (torch.pow(2, true_sorted_by_preds) - 1) / maxDCGs[:, None]

    def ndcg2():
        pos = torch.arange(1, gain.shape[1] + 1)
        delta_idxs = torch.abs(pos[:, None] - pos[None, :])
        deltas = torch.abs(
            torch.pow(torch.abs(discount[0, delta_idxs - 1]), -1.0)
            - torch.pow(torch.abs(discount[0, delta_idxs]), -1.0)
        )
        deltas.diagonal().zero_()
        return deltas[None, :, :] * torch.abs(gain[:, :, None] - gain[:, None, :])

    def lambda_rank():
        return torch.abs(torch.pow(discount[:, :, None], -1.0) - torch.pow(discount[:, None, :], -1.0)) * torch.abs(
            gain[:, :, None] - gain[:, None, :])

    weights = {
        "none": lambda: torch.tensor(1.0),
        "ndcg_loss1": lambda: (gain / discount)[:, :, None],
        "ndcg_loss2": ndcg2,
        "lambda_rank": lambda_rank,
        "ndcg_loss2pp": lambda: mu * ndcg2() + lambda_rank(),
    }[scheme]()
    scores_diffs = (logits_matrix_sorted[:, :, None] - logits_matrix_sorted[:, None, :]).clamp(min=-1e8, max=1e8)
    scores_diffs.masked_fill_(torch.isnan(scores_diffs), 0.0)
    weighted_probas = (torch.sigmoid(sigma * scores_diffs).clamp(min=eps) ** weights).clamp(min=eps)
    if reduction_log == "natural":
        losses = torch.log(weighted_probas)
    else:
        losses = torch.log2(weighted_probas)
    masked_losses = losses[padded_pairs_mask & ndcg_at_k_mask]
    return -torch.mean(masked_losses)


def losses_golden():
    g = torch.Generator().manual_seed(7)
    rn = lambda *s: torch.randn(*s, generator=g)
    cases = []

    def add(name, loss, params, logits, labels, mask, fn):
        x = logits.clone().requires_grad_(True)
        value = fn(x)
        value.backward()
        x64 = logits.double().clone().requires_grad_(True)
        value64 = fn(x64) if name not in NO_F64 else value
        cases.append({
            "name": name, "loss": loss, "params": params,
            "logits_shape": list(logits.shape), "logits": floats(logits),
            "labels_shape": None if labels is None else list(labels.shape),
            "labels": None if labels is None else floats(labels.float()),
            "mask": None if mask is None else [bool(v) for v in mask.reshape(-1).tolist()],
            "value": float(value), "value_f64": float(value64), "grad": floats(x.grad),
        })

    NO_F64 = set()

    # pointwise
    bl = rn(6) * 2
    y = torch.tensor([1., 0., 1., 0., 1., 1.])
    add("bce", "bce", {}, bl, y, None, lambda x: st_bce(x, y))
    ys = torch.tensor([0.3, 0.0, 1.0, 0.7, 0.5, 0.9])
    add("bce_soft_labels_pos_weight", "bce", {"pos_weight": 3.0}, bl, ys, None,
        lambda x: st_bce(x, ys.to(x.dtype), pos_weight=3.0))
    big = torch.tensor([[30.0], [-30.0], [0.0], [25.0]])
    yb = torch.tensor([0., 1., 1., 1.])
    add("bce_large_logits", "bce", {"pos_weight": 0.5}, big, yb, None,
        lambda x: st_bce(x, yb.to(x.dtype), pos_weight=0.5))
    add("bce_sigmoid", "bce", {"activation": "sigmoid"}, bl, y, None, lambda x: st_bce(x, y.to(x.dtype), act="sigmoid"))

    ml = rn(4, 3) * 1.5
    mly = torch.tensor([[1., 0., 1.], [0., 0., 1.], [1., 1., 1.], [0., 1., 0.]])
    add("multilabel_bce", "multilabel_bce", {}, ml, mly, None, lambda x: st_multilabel_bce(x, mly.to(x.dtype)))
    add("multilabel_bce_pos_weight", "multilabel_bce", {"pos_weight": [1.0, 2.0, 0.5]}, ml, mly, None,
        lambda x: st_multilabel_bce(x, mly.to(x.dtype), pos_weight=[1.0, 2.0, 0.5]))

    cl = rn(5, 3) * 2
    cy = torch.tensor([0, 2, 1, 1, 0])
    add("cross_entropy", "cross_entropy", {}, cl, cy, None, lambda x: st_ce(x, cy))

    ml2 = rn(5) * 3
    my = torch.tensor([0.5, -1.0, 2.0, 0.0, 3.5])
    add("mse", "mse", {}, ml2, my, None, lambda x: st_mse(x, my.to(x.dtype)))
    my2 = torch.tensor([0.9, 0.1, 0.5, 0.0, 1.0])
    add("mse_sigmoid", "mse", {"activation": "sigmoid"}, ml2, my2, None,
        lambda x: st_mse(x, my2.to(x.dtype), act="sigmoid"))

    mm = rn(3, 3) * 2
    margins = torch.tensor([[1.5, 2.0], [0.0, -1.0], [3.0, 0.5]])
    add("margin_mse_margins", "margin_mse", {}, mm, margins, None, lambda x: st_margin_mse(x, margins.to(x.dtype)))
    scores = torch.tensor([[5.0, 3.5, 3.0], [1.0, 1.0, 2.0], [4.0, 1.0, 3.5]])
    add("margin_mse_scores", "margin_mse", {}, mm, scores, None, lambda x: st_margin_mse(x, scores.to(x.dtype)))
    mm1 = rn(4, 2)
    m1 = torch.tensor([1.0, 2.0, -0.5, 0.0])
    add("margin_mse_one_negative", "margin_mse", {}, mm1, m1, None, lambda x: st_margin_mse(x, m1.to(x.dtype)))

    mn = rn(4, 5) * 2
    add("mnrl_default", "mnrl", {}, mn, None, None, lambda x: st_mnrl(x))
    add("mnrl_identity_scale_20", "mnrl", {"scale": 20.0, "activation": "identity"}, mn, None, None,
        lambda x: st_mnrl(x, scale=20.0, act="identity"))
    add("mnrl_no_scale", "mnrl", {"scale": 0.0}, mn, None, None, lambda x: st_mnrl(x, scale=0.0))

    # listwise: one equal-length batch, one padded batch (lists of 4, 2 and 3 documents)
    le = rn(3, 4) * 2
    lye = torch.tensor([[3., 1., 0., 2.], [0., 1., 0., 0.], [1., 1., 2., 0.]])
    lp = rn(3, 4) * 2
    lyp = torch.tensor([[2., 0., 1., 0.], [1., 0., 0., 0.], [0., 3., 1., 0.]])
    maskp = torch.tensor([[True, True, True, True], [True, True, False, False], [True, True, True, False]])
    full = torch.ones(3, 4, dtype=torch.bool)

    for tag, lg, ly, mk in [("equal", le, lye, None), ("padded", lp, lyp, maskp)]:
        m_ = full if mk is None else mk
        add(f"listnet_{tag}", "listnet", {}, lg, ly, mk, lambda x, ly=ly, m_=m_: st_listnet(x, ly.to(x.dtype), m_))
        for rio in (True, False):
            for pa in (False, True):
                name = f"{'plistmle' if pa else 'listmle'}_{tag}{'' if rio else '_by_label'}"
                add(name, "listmle",
                    {"respect_input_order": rio, "position_aware": pa}, lg, ly, mk,
                    lambda x, ly=ly, m_=m_, rio=rio, pa=pa: st_plistmle(
                        x, ly.to(x.dtype), m_, respect_input_order=rio, lambda_weight=pa))
                if mk is None:
                    a = st_plistmle(lg, ly, m_, respect_input_order=rio, lambda_weight=pa, fix_padding=False)
                    b = st_plistmle(lg, ly, m_, respect_input_order=rio, lambda_weight=pa, fix_padding=True)
                    assert torch.equal(a, b), "the padding fix must not matter for equal-length lists"
        add(f"ranknet_{tag}", "ranknet", {}, lg, ly, mk,
            lambda x, ly=ly, m_=m_: st_lambda(x, ly.to(x.dtype), m_, scheme="none"))
        add(f"ranknet_{tag}_k2_natural", "ranknet", {"k": 2, "reduction_log": "natural", "sigma": 0.5}, lg, ly, mk,
            lambda x, ly=ly, m_=m_: st_lambda(x, ly.to(x.dtype), m_, scheme="none", k=2, reduction_log="natural",
                                              sigma=0.5))
        for scheme in ["ndcg_loss2pp", "ndcg_loss1", "ndcg_loss2", "lambda_rank"]:
            add(f"lambda_{scheme}_{tag}", "lambda", {"scheme": scheme}, lg, ly, mk,
                lambda x, ly=ly, m_=m_, scheme=scheme: st_lambda(x, ly.to(x.dtype), m_, scheme=scheme))
        add(f"lambda_ndcg_loss2pp_{tag}_k3_mu5", "lambda", {"scheme": "ndcg_loss2pp", "k": 3, "mu": 5.0},
            lg, ly, mk, lambda x, ly=ly, m_=m_: st_lambda(x, ly.to(x.dtype), m_, k=3, mu=5.0))
    return {"torch": torch.__version__, "cases": cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in [("adamw.json", adamw_golden()), ("schedules.json", schedules_golden()),
                       ("losses.json", losses_golden())]:
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        print("wrote", os.path.normpath(os.path.join(OUT, name)))


if __name__ == "__main__":
    main()
