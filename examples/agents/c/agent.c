/*
 * A parley remote agent in C (libnats + cJSON): a time-dependent concession
 * after Faratin, Sierra & Jennings 1998 ("Negotiation decision functions for
 * autonomous agents"). At normalised time t its target utility is
 *
 *     target(t) = 1 - (1 - reservation) * t^(1/e)
 *
 * (e = 1 linear, e < 1 Boulware, e > 1 Conceder). It accepts the offer on the
 * table when that offer is worth at least its target, and otherwise offers
 * the outcome worth the least among those at or above its target (the one
 * nearest to a deal). It ratifies what is worth its reservation value.
 *
 * It reads a turn as parley sends it (`parley schema turn`) and replies with
 * a move (`parley schema move`). It handles linear-additive preferences over
 * discrete issues (option scores, normalised by the best score, as parley
 * does); on any other domain it walks out and says why.
 *
 * Build: make (needs libnats-dev and libcjson-dev from Debian).
 * Run:   ./agent nats://127.0.0.1:4222 parley.agents.c [e]
 */
#include <math.h>
#include <nats/nats.h>
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ISSUES 16
#define MAX_OUTCOMES 200000

static double exponent = 1.0;
static volatile sig_atomic_t stopping = 0;

static void on_signal(int sig) { (void)sig; stopping = 1; }

/* The party's utility of one option of each issue, weights already applied. */
typedef struct {
    int n;
    const char *ids[MAX_ISSUES];
    int counts[MAX_ISSUES];
    const char **options[MAX_ISSUES];
    double *values[MAX_ISSUES]; /* weighted, normalised score of each option */
} Domain;

static void free_domain(Domain *d) {
    for (int i = 0; i < d->n; i++) {
        free(d->options[i]);
        free(d->values[i]);
    }
}

/* Reads issues and preferences from the turn; NULL when it can, else why not. */
static const char *read_domain(const cJSON *turn, Domain *d) {
    memset(d, 0, sizeof *d);
    const cJSON *issues = cJSON_GetObjectItem(cJSON_GetObjectItem(turn, "state"), "issues");
    const cJSON *prefs = cJSON_GetObjectItem(turn, "preferences");
    if (!cJSON_IsObject(prefs)) return "no preferences in the turn";
    const cJSON *weights = cJSON_GetObjectItem(prefs, "weights");
    const cJSON *evals = cJSON_GetObjectItem(prefs, "evaluations");
    double total = 0;
    const cJSON *issue;
    cJSON_ArrayForEach(issue, issues) {
        const cJSON *w = cJSON_GetObjectItem(weights, cJSON_GetObjectItem(issue, "id")->valuestring);
        if (cJSON_IsNumber(w)) total += w->valuedouble;
    }
    if (total <= 0) return "the weights sum to zero";
    cJSON_ArrayForEach(issue, issues) {
        if (d->n == MAX_ISSUES) return "too many issues";
        const char *kind = cJSON_GetObjectItem(issue, "kind")->valuestring;
        if (strcmp(kind, "discrete") != 0) return "this agent handles discrete issues only";
        const char *id = cJSON_GetObjectItem(issue, "id")->valuestring;
        const cJSON *options = cJSON_GetObjectItem(issue, "options");
        int k = cJSON_GetArraySize(options), i = d->n++;
        d->ids[i] = id;
        d->counts[i] = k;
        d->options[i] = calloc((size_t)k, sizeof(char *));
        d->values[i] = calloc((size_t)k, sizeof(double));
        const cJSON *w = cJSON_GetObjectItem(weights, id);
        const cJSON *eval = cJSON_GetObjectItem(evals, id);
        const cJSON *scores = cJSON_GetObjectItem(eval, "scores");
        const cJSON *normalize = cJSON_GetObjectItem(eval, "normalize");
        int by_max = !cJSON_IsString(normalize) || strcmp(normalize->valuestring, "max") == 0;
        double best = 0;
        for (int j = 0; j < k; j++) {
            d->options[i][j] = cJSON_GetArrayItem(options, j)->valuestring;
            const cJSON *s = cJSON_GetObjectItem(scores, d->options[i][j]);
            double v = cJSON_IsNumber(s) ? s->valuedouble : 0;
            d->values[i][j] = v;
            if (v > best) best = v;
        }
        double weight = cJSON_IsNumber(w) ? w->valuedouble / total : 0;
        for (int j = 0; j < k; j++)
            d->values[i][j] = weight * (by_max && best > 0 ? d->values[i][j] / best : d->values[i][j]);
    }
    return NULL;
}

/* The utility of terms given as a JSON object (issue id -> option). */
static double utility_of(const Domain *d, const cJSON *terms) {
    double u = 0;
    for (int i = 0; i < d->n; i++) {
        const cJSON *v = cJSON_GetObjectItem(terms, d->ids[i]);
        if (!cJSON_IsString(v)) continue;
        for (int j = 0; j < d->counts[i]; j++)
            if (strcmp(d->options[i][j], v->valuestring) == 0) u += d->values[i][j];
    }
    return u;
}

/* Writes into `choice` the outcome of least utility at or above `target` (its best when none is). */
static double nearest_above(const Domain *d, double target, int *choice) {
    int index[MAX_ISSUES] = {0};
    double best_u = -1, found_u = 2;
    int best[MAX_ISSUES] = {0}, found[MAX_ISSUES] = {0}, have = 0;
    for (long count = 0; count < MAX_OUTCOMES; count++) {
        double u = 0;
        for (int i = 0; i < d->n; i++) u += d->values[i][index[i]];
        if (u > best_u) { best_u = u; memcpy(best, index, sizeof best); }
        if (u >= target - 1e-12 && u < found_u) { found_u = u; memcpy(found, index, sizeof found); have = 1; }
        int i = 0;
        while (i < d->n && ++index[i] == d->counts[i]) index[i++] = 0;
        if (i == d->n) break;
    }
    memcpy(choice, have ? found : best, sizeof found);
    return have ? found_u : best_u;
}

/* The reply to one turn, as a JSON string the caller frees. */
static char *answer(const char *body, int length) {
    cJSON *turn = cJSON_ParseWithLength(body, (size_t)length);
    cJSON *reply = cJSON_CreateObject();
    if (turn == NULL) {
        cJSON_AddStringToObject(reply, "type", "reject");
        cJSON_AddStringToObject(reply, "reason", "could not read the turn");
        char *out = cJSON_PrintUnformatted(reply);
        cJSON_Delete(reply);
        return out;
    }
    Domain d;
    const char *problem = read_domain(turn, &d);
    const cJSON *table = cJSON_GetObjectItem(turn, "onTable");
    double reservation = cJSON_GetObjectItem(turn, "reservation")->valuedouble;
    double t = cJSON_GetObjectItem(turn, "time")->valuedouble;
    double target = 1 - (1 - reservation) * pow(t, 1 / exponent);
    const char *ask = cJSON_GetObjectItem(turn, "ask")->valuestring;
    char words[160];
    if (problem != NULL && strcmp(ask, "ratify") == 0) {
        cJSON_AddBoolToObject(reply, "ratify", 0);
        cJSON_AddStringToObject(reply, "message", problem);
    } else if (problem != NULL) {
        cJSON_AddStringToObject(reply, "type", "walk-out");
        cJSON_AddStringToObject(reply, "reason", problem);
    } else if (strcmp(ask, "ratify") == 0) {
        double u = utility_of(&d, cJSON_GetObjectItem(table, "terms"));
        cJSON_AddBoolToObject(reply, "ratify", u >= reservation);
    } else if (cJSON_IsObject(table) && utility_of(&d, cJSON_GetObjectItem(table, "terms")) >= target) {
        cJSON_AddStringToObject(reply, "type", "accept");
        snprintf(words, sizeof words, "worth %.2f to me, my target was %.2f: agreed",
                 utility_of(&d, cJSON_GetObjectItem(table, "terms")), target);
        cJSON_AddStringToObject(reply, "message", words);
    } else {
        int choice[MAX_ISSUES];
        double u = nearest_above(&d, target, choice);
        cJSON_AddStringToObject(reply, "type", "offer");
        cJSON *terms = cJSON_AddObjectToObject(reply, "terms");
        for (int i = 0; i < d.n; i++) cJSON_AddStringToObject(terms, d.ids[i], d.options[i][choice[i]]);
        snprintf(words, sizeof words, "I can do this (worth %.2f to me)", u);
        cJSON_AddStringToObject(reply, "message", words);
    }
    free_domain(&d);
    char *out = cJSON_PrintUnformatted(reply);
    cJSON_Delete(reply);
    cJSON_Delete(turn);
    return out;
}

static void on_turn(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *closure) {
    (void)sub;
    (void)closure;
    if (natsMsg_GetReply(msg) != NULL) {
        char *out = answer(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
        natsConnection_PublishString(nc, natsMsg_GetReply(msg), out);
        free(out);
    }
    natsMsg_Destroy(msg);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s NATS_URL SUBJECT [e]\n", argv[0]);
        return 2;
    }
    if (argc > 3) exponent = atof(argv[3]);
    if (!(exponent > 0)) {
        fprintf(stderr, "e must be a positive number\n");
        return 2;
    }
    natsConnection *nc = NULL;
    natsSubscription *sub = NULL;
    natsStatus s = natsConnection_ConnectTo(&nc, argv[1]);
    if (s == NATS_OK) s = natsConnection_Subscribe(&sub, nc, argv[2], on_turn, NULL);
    if (s == NATS_OK) s = natsConnection_Flush(nc);
    if (s != NATS_OK) {
        fprintf(stderr, "agent: %s: %s\n", argv[1], natsStatus_GetText(s));
        return 1;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    printf("ready on %s\n", argv[2]);
    fflush(stdout);
    while (!stopping) nats_Sleep(100);
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(nc);
    nats_Close();
    return 0;
}
