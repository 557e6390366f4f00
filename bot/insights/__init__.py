"""What students ask and do not find, from the conversation store, with no personal data
(`cmq insights`): bot.insights.store reads the events, bot.insights.tally counts them,
bot.insights.report writes the page and the CSV files."""
