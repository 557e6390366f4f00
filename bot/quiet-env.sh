# Sourced by the scripts that start Rasa: silence TensorFlow's start-up noise and the
# deprecation warnings of Rasa's pinned libraries, so that the logs show the assistant's own;
# turn off Rasa's telemetry (usage reports sent to Rasa's servers: not wanted, and offline here).
export TF_CPP_MIN_LOG_LEVEL=3
export PYTHONWARNINGS=ignore
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export RASA_TELEMETRY_ENABLED=false
