# Two commands do all the set-up (see README.md): `make run` and `make test`.
# Everything installs into ./.venv; the stamp re-installs only when the pins change.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE_KB := examples/knowledge-base
SAMPLE_QUESTION ?= When does the community meet?
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench install clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch first and pinned: the CPU build (see ../shared/STACK.md), never the multi-GB CUDA one
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

## Ingest the sample knowledge base, answer a sample question, then serve the API, the widget
## and a demo community page on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it).
run: $(STAMP)
	$(BIN)/peerassist ingest $(SAMPLE_KB) --sync
	$(BIN)/peerassist ask "$(SAMPLE_QUESTION)"
	$(BIN)/peerassist serve --host $(HOST) --port $(PORT)

## The whole test suite (what CI runs), then the answer-quality gate: the golden eval
## must not regress against the committed baseline (evals/baselines/golden.json).
test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/peerassist eval --dataset golden
	$(BIN)/peerassist eval compare --baseline golden

## Benchmarks: print figures, assert nothing.
bench: $(STAMP)
	$(BIN)/python -m peerassist.evals.bench_ingest
	$(BIN)/python -m peerassist.evals.bench_answers
	$(BIN)/python -m peerassist.evals.bench_fusion
	$(BIN)/python -m peerassist.evals.bench_answer_time
	$(BIN)/python -m peerassist.evals.bench_load
	$(BIN)/python -m peerassist.evals.bench_insights
	$(BIN)/python -m peerassist.evals.bench_vote_prior

clean:
	rm -rf $(VENV) data
