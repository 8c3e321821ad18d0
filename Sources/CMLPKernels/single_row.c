// A single row's layers through weight panels (SingleRowPass), split by panels over the pool's threads as one phased
// job. In C so that a part goes straight from the pool to the panel kernel: through Swift (a protocol call, the
// generic panel loop, a dispatch per panel) the split row ran 0.3 us slower than this on a Zen 3 (docs/performance.md,
// "The single row in C").
#include "CMLPKernels.h"

#define MAX_JOB_PHASES 16  // mlp_pool_run_phases runs longer jobs on the caller alone

typedef struct {
    int isa, f64;
    const mlp_row_layer *layers;
    int first;  // the layer of phase 0
    const void *packed;
    long width;
    const void *row;
    void *buffers[2];
} row_job;

// Part `part` of `parts` of layer first + phase: a contiguous run of its panels.
static void run_layer_part(void *context, int phase, int part, int parts) {
    const row_job *job = context;
    int l = job->first + phase;
    const mlp_row_layer *layer = &job->layers[l];
    long first = layer->panel_count * part / parts, end = layer->panel_count * (part + 1) / parts;
    const void *input = l == 0 ? job->row : job->buffers[(l - 1) % 2];
    void *out = job->buffers[l % 2];
    if (job->f64)
        mlp_dense_panels_f64(job->isa, input, (const double *)job->packed + layer->panels, out, layer->n_in,
                             layer->padded_columns, job->width, first, end, layer->relu, layer->skip_zero_inputs);
    else
        mlp_dense_panels_f32(job->isa, input, (const float *)job->packed + layer->panels, out, layer->n_in,
                             layer->padded_columns, job->width, first, end, layer->relu, layer->skip_zero_inputs);
}

// The job the pool's workers read, one per calling thread and kept from call to call: each call stores only the
// fields that changed, so a worker finds an unchanged job in its own cache instead of fetching the caller's freshly
// written copy (a transfer before it can start its part).
static _Thread_local row_job current_job;

#define SET(field, value)                                                                                            \
    if ((field) != (value)) (field) = (value)

static void row_layers(const row_job *job, int end, int threads, long size) {
    row_job *kept = &current_job;
    SET(kept->isa, job->isa < 0 || !mlp_isa_supported(job->isa) ? mlp_best_isa() : job->isa);
    SET(kept->f64, job->f64);
    SET(kept->layers, job->layers);
    SET(kept->packed, job->packed);
    SET(kept->width, job->width);
    SET(kept->row, job->row);
    SET(kept->buffers[0], job->buffers[0]);
    SET(kept->buffers[1], job->buffers[1]);
    for (int first = job->first; first < end; first += MAX_JOB_PHASES) {
        int phases = end - first < MAX_JOB_PHASES ? end - first : MAX_JOB_PHASES, parts[MAX_JOB_PHASES], split = 0;
        for (int phase = 0; phase < phases; phase++) {
            const mlp_row_layer *layer = &job->layers[first + phase];
            parts[phase] = layer->splits && threads > 1 ? (layer->panel_count < threads ? (int)layer->panel_count
                                                                                          : threads)
                                                        : 1;
            if (parts[phase] < 1) parts[phase] = 1;
            split |= parts[phase] > 1;
        }
        SET(kept->first, first);
        if (split) {
            mlp_pool_run_phases(phases, parts, threads, size, run_layer_part, kept);
        } else {
            for (int phase = 0; phase < phases; phase++) run_layer_part(kept, phase, 0, 1);
        }
    }
}

#undef SET

void mlp_row_layers_f32(int isa, const mlp_row_layer *layers, int first, int end, const float *packed, long width,
                        const float *row, float *buffer0, float *buffer1, int threads, long size) {
    row_job job = {isa, 0, layers, first, packed, width, row, {buffer0, buffer1}};
    row_layers(&job, end, threads, size);
}

void mlp_row_layers_f64(int isa, const mlp_row_layer *layers, int first, int end, const double *packed, long width,
                        const double *row, double *buffer0, double *buffer1, int threads, long size) {
    row_job job = {isa, 1, layers, first, packed, width, row, {buffer0, buffer1}};
    row_layers(&job, end, threads, size);
}
