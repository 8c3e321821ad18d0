#!/usr/bin/env python3
"""The α–β model of docs/distributed.md: seconds per epoch of `mlp train --distributed` on K nodes.

    python3 Scripts/distributed_model.py --seconds-per-epoch 0.35     # one node's measured compute per epoch
    python3 Scripts/distributed_model.py --seconds-per-epoch 0.35 --layers 100,2048,2048,10   # another network,
        # its compute scaled from the measured one by multiply-adds per row

Per batch of B rows on K nodes (s bytes per element, layers n_0 .. n_L, P parameters):
    compute   T_c(B) / K                       (T_c measured on one node: every product is split by rows or by
                                                gradient blocks, so it divides by K)
    exchange  4L collectives (allgathers): L-1 layer inputs, L deltas, the row losses, and the L weight and L bias
              blocks after the update, of S = B·s·(2·Σ hidden + n_L + 1) + P·s bytes in all
    ring allgather of S bytes: (K-1)·α + (K-1)/K · S · β
"""
import argparse


def per_batch(compute_per_row, rows, layers, k, alpha, beta, element=8):
    hidden = sum(layers[1:-1])
    parameters = sum(layers[i] * layers[i + 1] + layers[i + 1] for i in range(len(layers) - 1))
    depth = len(layers) - 1
    row_bytes = element * (2 * hidden + layers[-1] + 1)
    total_bytes = rows * row_bytes + parameters * element
    compute = compute_per_row * rows / k
    communication = 0.0 if k == 1 else 4 * depth * (k - 1) * alpha + (k - 1) / k * total_bytes * beta
    return compute, communication, row_bytes, parameters * element


def multiply_adds_per_row(layers):
    """Forward, the deltas of the hidden layers and the weight gradients: 3 products per layer but the first's delta."""
    products = [layers[i] * layers[i + 1] for i in range(len(layers) - 1)]
    return 3 * sum(products) - products[0]


def crossover_batch(compute_per_row, layers, k, alpha, beta, element=8):
    """The batch size below which communication takes longer than compute (None: at every batch size)."""
    _, fixed, row_bytes, parameter_bytes = per_batch(compute_per_row, 0, layers, k, alpha, beta, element)
    per_row = compute_per_row / k - (k - 1) / k * row_bytes * beta
    return None if per_row <= 0 else fixed / per_row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds-per-epoch", type=float, required=True, help="one node, measured")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--measured-layers", default="100,256,128,10", help="the network --seconds-per-epoch ran")
    parser.add_argument("--layers", default=None, help="the network to model (default: the measured one)")
    args = parser.parse_args()
    measured = [int(v) for v in args.measured_layers.split(",")]
    layers = [int(v) for v in (args.layers or args.measured_layers).split(",")]
    compute_per_row = args.seconds_per_epoch / args.rows * multiply_adds_per_row(layers) / multiply_adds_per_row(measured)
    batches = -(-args.rows // args.batch)
    networks = {"10 Gb/s (TCP, α = 20 µs)": (20e-6, 8 / 10e9), "100 Gb/s (RDMA, α = 2 µs)": (2e-6, 8 / 100e9)}
    for name, (alpha, beta) in networks.items():
        print(f"\n{name}: layers {layers}, batch {args.batch}, {batches} batches per epoch")
        print("| nodes | compute s/epoch | communication s/epoch | epoch s | speed-up | efficiency | crossover batch |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for k in [1, 2, 4, 8, 16, 32, 64]:
            compute, communication, _, _ = per_batch(compute_per_row, args.batch, layers, k, alpha, beta)
            epoch = batches * (compute + communication)
            single = batches * compute_per_row * args.batch
            crossover = crossover_batch(compute_per_row, layers, k, alpha, beta) if k > 1 else None
            cross = "—" if k == 1 else ("every batch" if crossover is None else f"{crossover:.0f}")
            print(f"| {k} | {batches * compute:.3f} | {batches * communication:.3f} | {epoch:.3f} | "
                  f"{single / epoch:.2f} | {100 * single / epoch / k:.0f}% | {cross} |")


if __name__ == "__main__":
    main()
