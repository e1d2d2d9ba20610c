Console.WriteLine("Repos SymptomTracker sample");
