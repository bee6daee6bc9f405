// A parley remote agent in Go (Debian's golang-github-nats-io-go-nats-dev):
// a Boulware/Conceder time-dependent concession after Faratin, Sierra &
// Jennings 1998 ("Negotiation decision functions for autonomous agents"),
// the same tactic as the C agent beside it. At normalised time t its target
// utility is
//
//	target(t) = 1 - (1 - reservation) * t^(1/e)
//
// It accepts the offer on the table when that offer is worth at least its
// target, otherwise offers the outcome worth the least among those at or
// above its target, and ratifies what is worth its reservation value. It
// handles linear-additive preferences over discrete issues; on any other
// domain it walks out and says why.
//
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build -o agent agent.go
// Run:   ./agent nats://127.0.0.1:4222 parley.agents.go [e]
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/nats-io/nats.go"
)

type issue struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	Options []string `json:"options"`
}

type evaluation struct {
	Scores    map[string]float64 `json:"scores"`
	Normalize string             `json:"normalize"`
}

type offer struct {
	Terms map[string]string `json:"terms"`
}

// The fields of a turn (parley schema turn) this agent reads.
type turn struct {
	Ask         string  `json:"ask"`
	Time        float64 `json:"time"`
	Reservation float64 `json:"reservation"`
	OnTable     *offer  `json:"onTable"`
	State       struct {
		Issues []issue `json:"issues"`
	} `json:"state"`
	Preferences *struct {
		Weights     map[string]float64    `json:"weights"`
		Evaluations map[string]evaluation `json:"evaluations"`
	} `json:"preferences"`
}

// The party's weighted, normalised value of each option of each issue.
type domain struct {
	issues []issue
	values [][]float64
}

func readDomain(t *turn) (*domain, error) {
	if t.Preferences == nil {
		return nil, fmt.Errorf("no preferences in the turn")
	}
	total := 0.0
	for _, is := range t.State.Issues {
		total += t.Preferences.Weights[is.ID]
	}
	if total <= 0 {
		return nil, fmt.Errorf("the weights sum to zero")
	}
	d := &domain{issues: t.State.Issues}
	for _, is := range t.State.Issues {
		if is.Kind != "discrete" {
			return nil, fmt.Errorf("this agent handles discrete issues only")
		}
		ev := t.Preferences.Evaluations[is.ID]
		best := 0.0
		for _, o := range is.Options {
			best = math.Max(best, ev.Scores[o])
		}
		w := t.Preferences.Weights[is.ID] / total
		vs := make([]float64, len(is.Options))
		for j, o := range is.Options {
			v := ev.Scores[o]
			if ev.Normalize != "none" && best > 0 {
				v /= best
			}
			vs[j] = w * v
		}
		d.values = append(d.values, vs)
	}
	return d, nil
}

func (d *domain) utility(terms map[string]string) float64 {
	u := 0.0
	for i, is := range d.issues {
		for j, o := range is.Options {
			if terms[is.ID] == o {
				u += d.values[i][j]
			}
		}
	}
	return u
}

// The outcome of least utility at or above target (its best when none is).
func (d *domain) nearestAbove(target float64) (map[string]string, float64) {
	index := make([]int, len(d.issues))
	var best, found []int
	bestU, foundU := -1.0, 2.0
	for n := 0; n < 200000; n++ {
		u := 0.0
		for i := range d.issues {
			u += d.values[i][index[i]]
		}
		if u > bestU {
			bestU, best = u, append([]int(nil), index...)
		}
		if u >= target-1e-12 && u < foundU {
			foundU, found = u, append([]int(nil), index...)
		}
		i := 0
		for i < len(index) {
			index[i]++
			if index[i] < len(d.issues[i].Options) {
				break
			}
			index[i] = 0
			i++
		}
		if i == len(index) {
			break
		}
	}
	choice, u := found, foundU
	if found == nil {
		choice, u = best, bestU
	}
	terms := map[string]string{}
	for i, is := range d.issues {
		terms[is.ID] = is.Options[choice[i]]
	}
	return terms, u
}

func answer(body []byte, e float64) map[string]interface{} {
	var t turn
	if err := json.Unmarshal(body, &t); err != nil {
		return map[string]interface{}{"type": "reject", "reason": "could not read the turn"}
	}
	d, err := readDomain(&t)
	if err != nil {
		if t.Ask == "ratify" {
			return map[string]interface{}{"ratify": false, "message": err.Error()}
		}
		return map[string]interface{}{"type": "walk-out", "reason": err.Error()}
	}
	if t.Ask == "ratify" {
		return map[string]interface{}{"ratify": t.OnTable != nil && d.utility(t.OnTable.Terms) >= t.Reservation}
	}
	target := 1 - (1-t.Reservation)*math.Pow(t.Time, 1/e)
	if t.OnTable != nil {
		if u := d.utility(t.OnTable.Terms); u >= target {
			return map[string]interface{}{"type": "accept",
				"message": fmt.Sprintf("worth %.2f to me, my target was %.2f: agreed", u, target)}
		}
	}
	terms, u := d.nearestAbove(target)
	return map[string]interface{}{"type": "offer", "terms": terms,
		"message": fmt.Sprintf("I can do this (worth %.2f to me)", u)}
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintf(os.Stderr, "usage: %s NATS_URL SUBJECT [e]\n", os.Args[0])
		os.Exit(2)
	}
	e := 1.0
	if len(os.Args) > 3 {
		v, err := strconv.ParseFloat(os.Args[3], 64)
		if err != nil || !(v > 0) {
			fmt.Fprintln(os.Stderr, "e must be a positive number")
			os.Exit(2)
		}
		e = v
	}
	nc, err := nats.Connect(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "agent: %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	_, err = nc.Subscribe(os.Args[2], func(m *nats.Msg) {
		if m.Reply == "" {
			return
		}
		out, _ := json.Marshal(answer(m.Data, e))
		_ = m.Respond(out)
	})
	if err == nil {
		err = nc.Flush()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "agent: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("ready on %s\n", os.Args[2])
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	_ = nc.Drain()
}
