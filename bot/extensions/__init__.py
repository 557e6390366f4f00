"""What this project adds to Rasa: NLU components and the lookup data made from the knowledge
base (nlu/), dialogue policies, conversation and lock stores, channels, the registry of
patches of Rasa's internals with the rules they apply, the stage timers, and the runtime
that starts Rasa with them."""
