# The two commands: `make run` and `make test`. See README.md.
.PHONY: run test demo setup build watch

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

demo:
	bash scripts/demo.sh

setup:
	bash scripts/setup.sh

build:
	bash scripts/build.sh

watch:
	bash scripts/watch.sh
